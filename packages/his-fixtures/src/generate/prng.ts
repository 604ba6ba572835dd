/**
 * A small seeded random generator (mulberry32): the same seed gives the same hospital, so
 * tests and benchmarks can rely on the data.
 */

/** Seeded random helpers. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element. */
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }

  /** An element chosen by weight ([value, weight] pairs). */
  weighted<T>(list: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of list) total += w;
    let r = this.next() * total;
    for (const [v, w] of list) {
      r -= w;
      if (r < 0) return v;
    }
    return list[list.length - 1][0];
  }

  /** An element skewed towards the front (some patients come often, most rarely). */
  skewed<T>(list: readonly T[], power = 1.6): T {
    return list[Math.min(list.length - 1, Math.floor(Math.pow(this.next(), power) * list.length))];
  }
}
