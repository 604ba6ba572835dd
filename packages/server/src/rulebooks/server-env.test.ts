import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromEnv } from '../server.js';
import { generateSigningKeys, parseTrustedKeys } from '@preaudit/rulebook-bundle';

t.test('PA_BUREAU_KEYS_FILE and PA_RULEBOOK_FEED configure trust and pull mode', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-env-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const a = generateSigningKeys();
  const b = generateSigningKeys();
  const file = join(dir, 'bureau-keys.pem');
  writeFileSync(file, `# 示例市医保局\n${a.publicKeyPem}\n${b.publicKeyPem}`);
  const cfg = configFromEnv({ PA_BUREAU_KEYS_FILE: file, PA_RULEBOOK_FEED: 'https://ybj.example/rulebooks/', PA_RULEBOOK_FEED_INTERVAL_S: '60' });
  t.same([...parseTrustedKeys(cfg.app.trustedKeys ?? []).keys()].sort(), [a.keyId, b.keyId].sort());
  t.same(cfg.app.rulebookFeed, { source: 'https://ybj.example/rulebooks/', intervalMs: 60_000 });
  const none = configFromEnv({});
  t.equal(none.app.trustedKeys, undefined);
  t.equal(none.app.rulebookFeed, undefined);
});

t.test('PA_RULEBOOK_FEED_ORIGINS allow-lists the origins a feed may point bundles to (issue 10 #11)', async (t) => {
  const cfg = configFromEnv({ PA_RULEBOOK_FEED: 'https://ybj.example/rulebooks/', PA_RULEBOOK_FEED_ORIGINS: 'https://cdn.ybj.example, http://10.0.0.5:8080' });
  t.same(cfg.app.rulebookFeed?.allowedOrigins, ['https://cdn.ybj.example', 'http://10.0.0.5:8080']);
  t.throws(() => configFromEnv({ PA_RULEBOOK_FEED: 'https://ybj.example/', PA_RULEBOOK_FEED_ORIGINS: 'https://cdn.example/path' }), /PA_RULEBOOK_FEED_ORIGINS/);
});
