// Sorting type ids by packed 64-bit keys with the engine's native typed-array sort (no JavaScript comparator).
//
// A key is (hi[id]: 32 bits, the top 12 bits of lo[id], id: 20 bits), packed into one BigUint64Array
// element through a Uint32Array view, so no BigInt is ever created. Ids with equal (hi, top of lo)
// end up next to each other in id order; callers finish such runs with their full comparison.

/** Ids must be below this to fit in a key. */
export const PACKED_ID_LIMIT = 1 << 20;
const ID_MASK = PACKED_ID_LIMIT - 1;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;

/** Sorts `ids` in place by (hi[id], lo[id] >>> 20, id). */
export function sortPacked(ids: Int32Array, hi: Uint32Array, lo: Uint32Array): void {
  const n = ids.length;
  const keys = new BigUint64Array(n);
  const words = new Uint32Array(keys.buffer);
  for (let i = 0; i < n; i++) {
    const id = ids[i] as number;
    words[2 * i + HI] = hi[id] as number;
    words[2 * i + LO] = (((lo[id] as number) & 0xfff00000) | id) >>> 0;
  }
  keys.sort();
  for (let i = 0; i < n; i++) ids[i] = (words[2 * i + LO] as number) & ID_MASK;
}

/** Calls `each(from, to)` for every run of two or more ids in `ids` with equal (hi, lo >>> 20). */
export function forEachTie(ids: Int32Array, hi: Uint32Array, lo: Uint32Array, each: (from: number, to: number) => void): void {
  const n = ids.length;
  for (let from = 0; from < n; ) {
    const first = ids[from] as number;
    const h = hi[first] as number;
    const l = (lo[first] as number) >>> 20;
    let to = from + 1;
    while (to < n && hi[ids[to] as number] === h && (lo[ids[to] as number] as number) >>> 20 === l) to++;
    if (to - from > 1) each(from, to);
    from = to;
  }
}
