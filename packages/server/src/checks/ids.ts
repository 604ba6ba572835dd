/**
 * Check ids: unique across checks and restarts, short, and sortable by start time of the process.
 * jr_id = `${checkId}-${n}` (the engine appends n), so feedback (3103) can find its check.
 */
import { randomBytes } from 'node:crypto';

/** Makes ids `<boot><counter>`: boot = start time and 4 random bytes in base 36. */
export function checkIdFactory(): () => string {
  const boot = Date.now().toString(36) + randomBytes(4).readUInt32BE(0).toString(36).padStart(7, '0');
  let n = 0;
  return () => `${boot}${(++n).toString(36)}`;
}
