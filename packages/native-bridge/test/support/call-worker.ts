/**
 * A worker thread for the many-threads test: loads the library (the process already
 * configured it), makes alternating clean/violating calls synchronously on its own
 * thread, and checks that its last error stays its own while the others run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadBridge, PaStatus } from '../../src/index.js';

const { libraryPath, index, calls, clean, violating, ruleId } = workerData as {
  libraryPath: string;
  index: number;
  calls: number;
  clean: string;
  violating: string;
  ruleId: string;
};

const bridge = loadBridge(libraryPath);
const failures: string[] = [];
let ok = 0;
for (let i = 0; i < calls; i++) {
  const isViolating = (i + index) % 2 === 1;
  const { status, response } = bridge.call('3101', isViolating ? violating : clean);
  const expected = isViolating ? PaStatus.FINDINGS : PaStatus.OK;
  if (status === expected && response !== null && (!isViolating || response.toString('utf8').includes(ruleId))) ok++;
  else failures.push(`worker ${index} call ${i}: status ${status} ${bridge.lastError().toString('utf8')}`);
  bridge.call('9999', clean);
  if (bridge.lastErrorCode() !== PaStatus.EINVAL) failures.push(`worker ${index}: last error is not thread-local`);
}
parentPort?.postMessage({ ok, failures });
