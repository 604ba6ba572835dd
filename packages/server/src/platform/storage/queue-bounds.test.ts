/**
 * Every in-memory queue is bounded by bytes as well as rows (issue 10 #23): with storage refusing
 * writes, checks are still answered, and beyond the bound the oldest records go to the quarantine
 * (reason `overflow`), counted in /health and /metrics, instead of memory growing without end.
 */
import t from 'tap';
import { genderViolation, testApp } from '../../test-support/helpers.js';

t.test('storage down: the check and audit queues stay within their byte bounds, overflow is quarantined and counted', async (t) => {
  const app = await testApp({ checkQueueMaxBytes: 60_000, auditQueueMaxBytes: 8_000, flushIntervalMs: 60_000 });
  t.teardown(() => app.close());
  await app.db.schema.renameTable('checks', 'checks_away');
  await app.db.schema.renameTable('audit_log', 'audit_log_away');
  for (let i = 0; i < 40; i++) {
    const reply = (await app.inject({ method: 'POST', url: '/nhsa/3101', payload: genderViolation(`FULL-${i}`) })).json();
    t.equal(reply.infcode, 0, `check ${i} answered`);
  }
  await t.rejects(app.checkStore.flush());
  const checks = app.checkStore.stats();
  const audit = app.auditLog.stats();
  t.ok(checks.pendingBytes <= 60_000, `check queue ${checks.pendingBytes} bytes ≤ 60,000`);
  t.ok(audit.pendingBytes <= 8_000, `audit queue ${audit.pendingBytes} bytes ≤ 8,000`);
  t.ok(checks.quarantined > 0 && audit.quarantined > 0, `overflow: ${checks.quarantined} checks, ${audit.quarantined} audit rows`);
  t.equal(checks.pending + checks.quarantined, 40, 'every answered check is queued or quarantined, none dropped');
  const overflow = app.quarantine.entries().filter((e) => e.reason === 'overflow');
  t.equal(overflow.filter((e) => e.queue === 'checks')[0].row && (overflow.filter((e) => e.queue === 'checks')[0].row as any).msgid, 'FULL-0', 'the oldest overflow first');
  const health = (await app.inject({ method: 'GET', url: '/health' })).json();
  t.equal(health.status, 'degraded');
  t.equal(health.storage.quarantined, checks.quarantined + audit.quarantined);
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  t.match(metrics, /preaudit_store_quarantined_rows\{queue="checks",reason="overflow"\} [1-9]/);
  t.match(metrics, /preaudit_store_quarantined_rows\{queue="audit",reason="overflow"\} [1-9]/);
  t.match(metrics, /preaudit_store_pending_check_bytes \d+/);
  await app.db.schema.renameTable('checks_away', 'checks');
  await app.db.schema.renameTable('audit_log_away', 'audit_log');
  await app.checkStore.flush();
  t.equal(Number((await app.db('checks').count({ n: '*' }))[0].n), checks.pending, 'what stayed queued is written once storage is back');
});
