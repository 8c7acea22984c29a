// A small seeded PRNG (mulberry32) so every fuzz input can be regenerated from (seed, index).

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform u32. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform integer in [0, n); 0 when n <= 0. */
  below(n: number): number {
    if (n <= 0) return 0;
    if (n <= 0x100000000) return Math.floor((this.u32() / 0x100000000) * n);
    return Math.floor(((this.u32() * 0x100000000 + this.u32()) / 2 ** 64) * n);
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Rng.pick: empty list");
    return items[this.below(items.length)] as T;
  }

  /** A value a parser is likely to mishandle: 0, 1, max, off-by-one around powers of two, or random. */
  interesting(bytes: 1 | 2 | 4 | 8): number {
    const max = bytes === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (bytes * 8) - 1;
    switch (this.below(8)) {
      case 0:
        return 0;
      case 1:
        return 1;
      case 2:
        return max;
      case 3:
        return Math.floor(max / 2);
      case 4:
        return Math.min(max, 2 ** this.below(bytes * 8) + this.range(-1, 1)) >>> 0;
      case 5:
        return this.below(64);
      case 6:
        return Math.max(0, max - this.below(16));
      default:
        return bytes === 8 ? this.u32() : this.u32() % (max + 1);
    }
  }
}

/** Per-input seed: inputs are reproducible one by one from (run seed, index). */
export function inputSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
