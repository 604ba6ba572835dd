/**
 * The rulebook_versions / rulebook_activations tables as typed records, and the few queries the
 * store runs. Kept apart from the store so its logic reads without SQL in the way.
 */
import { asRows } from '@preaudit/his-adapter';
import type { Knex } from 'knex';

/** Where a version is in its life. */
export type VersionState = 'active' | 'scheduled' | 'pending' | 'retired';

/** How a version arrived. */
export type VersionSource = 'builtin' | 'upload' | 'feed';

/** What started an activation. */
export type ActivationKind = 'start' | 'upgrade' | 'scheduled' | 'command' | 'rollback';

/** One stored version (a rulebook_versions row, without the bundle text). */
export interface RulebookVersion {
  /** id@version. */
  ref: string;
  /** Rulebook id. */
  rulebook_id: string;
  /** Version. */
  version: string;
  /** Display name. */
  name: string | null;
  /** Issuer. */
  issuer: string | null;
  /** First moment in force (wall clock). */
  effective_from: string;
  /** End of force (wall clock), null = open. */
  effective_to: string | null;
  /** active / scheduled (activates at activate_at) / pending (waits for a command) / retired. */
  state: VersionState;
  /** builtin / upload / feed. */
  source: VersionSource;
  /** Who loaded it (API key label, `feed`, `system`). */
  loaded_by: string;
  /** Their role. */
  loaded_role: string;
  /** When (ISO UTC). */
  loaded_at: string;
  /** Key id of the verifying signature. */
  key_id: string | null;
  /** SHA-256 of the stored bundle text. */
  bundle_sha256: string | null;
  /** Wall-clock moment a scheduled version activates. */
  activate_at: string | null;
  /** Last activation (ISO UTC). */
  activated_at: string | null;
  /** Last retirement (ISO UTC). */
  retired_at: string | null;
  /** Enabled rules in it. */
  rules: number;
  /** Distinct codes indexed. */
  codes: number;
  /** Own test cases passed at load. */
  cases_passed: number;
}

/** One activation (a rulebook_activations row). */
export interface ActivationRecord {
  /** ISO UTC. */
  time: string;
  /** Version activated. */
  ref: string;
  /** Version it replaced. */
  previous_ref: string | null;
  /** What started it. */
  kind: ActivationKind;
  /** Who. */
  actor: string;
}

const COLUMNS = [
  'ref',
  'rulebook_id',
  'version',
  'name',
  'issuer',
  'effective_from',
  'effective_to',
  'state',
  'source',
  'loaded_by',
  'loaded_role',
  'loaded_at',
  'key_id',
  'bundle_sha256',
  'activate_at',
  'activated_at',
  'retired_at',
  'rules',
  'codes',
  'cases_passed',
] as const;

function fromRow(r: Record<string, unknown>): RulebookVersion {
  const v = {} as Record<string, unknown>;
  for (const c of COLUMNS) v[c] = r[c] ?? null;
  for (const c of ['rules', 'codes', 'cases_passed']) v[c] = Number(v[c] ?? 0);
  return v as unknown as RulebookVersion;
}

/** Every stored version, without bundles, oldest first. */
export async function readVersions(db: Knex): Promise<RulebookVersion[]> {
  const rows = asRows(await db('rulebook_versions').select(COLUMNS).orderBy('id', 'asc'), 'rulebook_versions');
  return rows.map(fromRow);
}

/** The bundle text of a version (null for the built-in rulebook). */
export async function readBundleText(db: Knex, ref: string): Promise<string | null> {
  const row = await db('rulebook_versions').where({ ref }).first<{ bundle: string | null } | undefined>('bundle');
  return row?.bundle ?? null;
}

/** Inserts a version. */
export async function insertVersion(db: Knex, v: RulebookVersion, bundle: string | null): Promise<void> {
  await db('rulebook_versions').insert({ ...v, bundle });
}

/** Updates some fields of versions. */
export async function updateVersion(db: Knex, ref: string, fields: Partial<RulebookVersion>): Promise<void> {
  await db('rulebook_versions').where({ ref }).update(fields);
}

/** Appends an activation. */
export async function insertActivation(db: Knex, a: ActivationRecord): Promise<void> {
  await db('rulebook_activations').insert(a);
}

/** The latest activation of a version (where its rollback returns to). */
export async function lastActivation(db: Knex, ref: string): Promise<ActivationRecord | undefined> {
  const row = (await db('rulebook_activations').where({ ref }).orderBy('id', 'desc').first()) as ActivationRecord | undefined;
  return row ? activationOf(row) : undefined;
}

/** Every activation, newest first. */
export async function readActivations(db: Knex, limit = 100): Promise<ActivationRecord[]> {
  const rows = (await db('rulebook_activations').orderBy('id', 'desc').limit(limit)) as ActivationRecord[];
  return rows.map(activationOf);
}

/** An activation row without its id (previous_ref null when the driver leaves it out). */
function activationOf(row: ActivationRecord): ActivationRecord {
  return { time: row.time, ref: row.ref, previous_ref: row.previous_ref ?? null, kind: row.kind, actor: row.actor };
}
