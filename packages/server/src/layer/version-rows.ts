/**
 * The layer_versions / layer_activations tables as typed records, and the few queries the
 * layer store runs (as rulebooks/version-rows.ts does for rulebooks).
 */
import type { Knex } from 'knex';
import { asRows } from '@preaudit/his-adapter';

/** Where a layer version is in its life: uploaded, its cases passed, in force, replaced. */
export type LayerState = 'draft' | 'tested' | 'active' | 'retired';

/** How it arrived. */
export type LayerSource = 'upload' | 'import';

/** One stored layer version (without its file). */
export interface LayerVersion {
  ref: string;
  layer_id: string;
  version: string;
  name: string | null;
  state: LayerState;
  source: LayerSource;
  file_sha256: string;
  created_by: string;
  created_role: string;
  created_at: string;
  /** Rulebook id@version its cases last ran against. */
  tested_against: string | null;
  tested_at: string | null;
  tested_by: string | null;
  cases_passed: number;
  cases_failed: number;
  activated_at: string | null;
  retired_at: string | null;
  local_rules: number;
  overrides: number;
  exemptions: number;
}

/** One activation or rollback. */
export interface LayerActivation {
  time: string;
  /** Layer version activated; null when a rollback left no layer. */
  ref: string | null;
  previous_ref: string | null;
  kind: 'command' | 'rollback';
  actor: string;
  /** Rulebook active at the time. */
  rulebook: string | null;
  /** Conflicts reported (and accepted) at activation. */
  conflicts: unknown[];
}

const COLUMNS = [
  'ref',
  'layer_id',
  'version',
  'name',
  'state',
  'source',
  'file_sha256',
  'created_by',
  'created_role',
  'created_at',
  'tested_against',
  'tested_at',
  'tested_by',
  'cases_passed',
  'cases_failed',
  'activated_at',
  'retired_at',
  'local_rules',
  'overrides',
  'exemptions',
] as const;

const NUMBERS = ['cases_passed', 'cases_failed', 'local_rules', 'overrides', 'exemptions'] as const;

function fromRow(r: Record<string, unknown>): LayerVersion {
  const v = {} as Record<string, unknown>;
  for (const c of COLUMNS) v[c] = r[c] ?? null;
  for (const c of NUMBERS) v[c] = Number(v[c] ?? 0);
  return v as unknown as LayerVersion;
}

/** Every version, oldest first. */
export async function readLayerVersions(db: Knex): Promise<LayerVersion[]> {
  return asRows(
    await db('layer_versions')
      .select([...COLUMNS])
      .orderBy('id', 'asc'),
    'layer_versions',
  ).map(fromRow);
}

/** The file of a version. */
export async function readLayerFile(db: Knex, ref: string): Promise<string | undefined> {
  const row = await db('layer_versions').where({ ref }).first<{ file: string } | undefined>('file');
  return row?.file;
}

/** Inserts a version. */
export async function insertLayerVersion(db: Knex, v: LayerVersion, file: string): Promise<void> {
  await db('layer_versions').insert({ ...v, file });
}

/** Updates fields of a version. */
export async function updateLayerVersion(db: Knex | Knex.Transaction, ref: string, fields: Partial<LayerVersion>): Promise<void> {
  await db('layer_versions').where({ ref }).update(fields);
}

/** Appends an activation. */
export async function insertLayerActivation(db: Knex | Knex.Transaction, a: LayerActivation): Promise<void> {
  await db('layer_activations').insert({ ...a, ref: a.ref ?? '', conflicts: a.conflicts.length ? JSON.stringify(a.conflicts) : null });
}

/** Activations, newest first. */
export async function readLayerActivations(db: Knex, limit = 50): Promise<LayerActivation[]> {
  const rows = asRows(await db('layer_activations').orderBy('id', 'desc').limit(limit), 'layer_activations');
  return rows.map((r) => ({
    time: String(r.time),
    ref: typeof r.ref === 'string' && r.ref !== '' ? r.ref : null,
    previous_ref: (r.previous_ref as string | null) ?? null,
    kind: r.kind as LayerActivation['kind'],
    actor: String(r.actor),
    rulebook: (r.rulebook as string | null) ?? null,
    conflicts: typeof r.conflicts === 'string' ? (JSON.parse(r.conflicts) as unknown[]) : [],
  }));
}

/** The latest activation of a version (where its rollback returns to). */
export async function lastLayerActivation(db: Knex, ref: string): Promise<LayerActivation | undefined> {
  const row = (await db('layer_activations').where({ ref }).orderBy('id', 'desc').first()) as Record<string, unknown> | undefined;
  return row
    ? {
        time: String(row.time),
        ref,
        previous_ref: (row.previous_ref as string | null) ?? null,
        kind: row.kind as LayerActivation['kind'],
        actor: String(row.actor),
        rulebook: null,
        conflicts: [],
      }
    : undefined;
}
