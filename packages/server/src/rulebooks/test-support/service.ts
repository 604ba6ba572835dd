/**
 * Test support only: a service (buildApp) started on the city-demo v1 rulebook with a bureau key
 * trusted, a pinned clock, API keys for each role, and signed bundles of the test versions.
 */
import { indexRulebook, compileRulebookFiles, type CompiledRulebook, type RulebookFiles } from '@preaudit/core-rules';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { buildApp, type AppOptions } from '../../app.js';
import { packBundle, serializeBundle, generateSigningKeys, signBundle } from '@preaudit/rulebook-bundle';
import { CITY_DEMO_V1, CITY_DEMO_V2, editedFixture, femaleApalutamideData, readFixture } from './fixtures.js';

/** The bureau's key pair, trusted by every test service. */
export const BUREAU_KEYS = generateSigningKeys();

/** API keys by role. */
export const KEYS = { bureau: 'test-bureau-key-0001', doctor: 'test-doctor-key-0001', office: 'test-office-key-0001' } as const;

/** Authorization header for a role. */
export const auth = (key: string) => ({ authorization: `Bearer ${key}` });

/** Compiles rulebook files (throws on problems). */
function compileFiles(files: RulebookFiles): CompiledRulebook {
  const r = compileRulebookFiles(files);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return indexRulebook(r.rulebook);
}

/** city-demo 2025.9.0, compiled: the built-in rulebook of the test services. */
const V1_COMPILED = compileFiles(readFixture(CITY_DEMO_V1));

/** Signs rulebook files as the bureau (or another key) and returns the bundle as parsed JSON. */
export function signedBundle(files: RulebookFiles, privateKeyPem = BUREAU_KEYS.privateKeyPem): Record<string, unknown> {
  return JSON.parse(serializeBundle(signBundle(packBundle(files), privateKeyPem)));
}

/** city-demo 2025.10.0 (sex rule disabled, effective 2025-10-01), signed. */
export const V2_SIGNED = () => signedBundle(readFixture(CITY_DEMO_V2));

/** v2's content as another version / effective time, signed. */
export const v2As = (version: string, effective = '2025-10-01') => signedBundle(editedFixture(CITY_DEMO_V2, (m) => ((m.version = version), (m.effective_from = effective))));

/** A settable clock. */
export interface Clock {
  now: Date;
}

/** Builds a service for a test (closed at teardown). */
export async function startService(t: Test, options: AppOptions = {}, start = '2025-09-01T09:00:00'): Promise<{ app: FastifyInstance; clock: Clock }> {
  const clock: Clock = { now: new Date(start) };
  const app = await buildApp({
    rulebook: V1_COMPILED,
    trustedKeys: [BUREAU_KEYS.publicKeyPem],
    apiKeys: { [KEYS.bureau]: 'bureau', [KEYS.doctor]: 'doctor-station', [KEYS.office]: 'insurance-office' },
    now: () => clock.now,
    ...options,
  });
  t.teardown(() => app.close());
  return { app, clock };
}

/** POST /v1/check of the female 阿帕他胺片 request; returns version (header and body) and rule ids found. */
export async function checkFemaleApalutamide(app: FastifyInstance, patnId = 'P1') {
  const res = await app.inject({ method: 'POST', url: '/v1/check', headers: auth(KEYS.doctor), payload: femaleApalutamideData(patnId) });
  const body = res.json<{ rulebook?: { version: string }; result?: Array<{ rule_id: string }> }>();
  return {
    status: res.statusCode,
    header: res.headers['x-rulebook-version'] as string | undefined,
    version: body.rulebook?.version,
    rules: (body.result ?? []).map((r) => r.rule_id),
  };
}
