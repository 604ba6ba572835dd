/**
 * Rulebook versions compare as dotted numbers ("2025.10.0" > "2025.9.3"); a part that is not a
 * number compares as text, so "2025.8.0-rc1" still orders somewhere sensible and deterministic.
 */

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.\-+]/);
  const pb = b.split(/[.\-+]/);
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) {
      if (nx !== ny) return nx < ny ? -1 : 1;
    } else if (x !== y) {
      // A numeric part outranks a textual one (1.0.0 > 1.0.0-rc1 reads "0" vs "rc1").
      if (!Number.isNaN(nx)) return 1;
      if (!Number.isNaN(ny)) return -1;
      return x < y ? -1 : 1;
    }
  }
  return 0;
}
