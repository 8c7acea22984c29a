// bpftool 7.7's `format c` type order (btf.c sort_btf_c): rank, sort name, own name, a name hash, then type id.

import { BtfKind } from "../types.js";
import type { RawTypes } from "./raw.js";
import { PACKED_ID_LIMIT, forEachTie, sortPacked } from "./packed-sort.js";
import { MAX_NESTING, loopError } from "./state.js";

const MAX_RANK = 10;

/** Rank: anonymous enum 0, named enum 1, int/float 2, struct/union 3, func_proto 4, the rest 10; named refs take their target's rank. */
function typeRank(r: RawTypes, id: number): number {
  let hasName = false;
  for (let depth = 0; depth <= MAX_NESTING; depth++) {
    if (r.nameOff(id) !== 0) hasName = true;
    switch (r.kind(id)) {
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
        return hasName ? 1 : 0;
      case BtfKind.INT:
      case BtfKind.FLOAT:
        return 2;
      case BtfKind.STRUCT:
      case BtfKind.UNION:
        return hasName ? 3 : MAX_RANK;
      case BtfKind.FUNC_PROTO:
        return hasName ? 4 : MAX_RANK;
      case BtfKind.ARRAY:
      case BtfKind.TYPE_TAG:
      case BtfKind.CONST:
      case BtfKind.PTR:
      case BtfKind.VOLATILE:
      case BtfKind.RESTRICT:
      case BtfKind.TYPEDEF:
      case BtfKind.DECL_TAG:
        if (!hasName) return MAX_RANK;
        id = r.target(id);
        break;
      default:
        return MAX_RANK;
    }
  }
  throw loopError(id, "cyclic type chain while sorting");
}

/** String offset of the name a type sorts under: its own, or that of what it refers to (anonymous enums: first enumerator). */
function sortNameOff(r: RawTypes, id: number): number {
  let fromRef = false;
  for (let depth = 0; depth <= MAX_NESTING; depth++) {
    switch (r.kind(id)) {
      case BtfKind.ENUM:
      case BtfKind.ENUM64: {
        const own = r.nameOff(id);
        if (!fromRef && own === 0 && r.vlen(id) > 0) return r.w[r.data(id)] as number;
        return own;
      }
      case BtfKind.ARRAY:
      case BtfKind.TYPE_TAG:
      case BtfKind.CONST:
      case BtfKind.PTR:
      case BtfKind.VOLATILE:
      case BtfKind.RESTRICT:
      case BtfKind.TYPEDEF:
      case BtfKind.DECL_TAG:
        id = r.target(id);
        fromRef = true;
        break;
      default:
        return r.nameOff(id);
    }
  }
  throw loopError(id, "cyclic type chain while sorting");
}

/** 64-bit unsigned arithmetic on (hi, lo) pairs of uint32, for bpftool's size_t hashes. */
const TWO32 = 0x100000000;
let hHi = 0;
let hLo = 0;
/** (hHi, hLo) = (hi, lo) * 31 + (vHi, vLo), modulo 2^64. */
function mulAdd(hi: number, lo: number, vHi: number, vLo: number): void {
  const l = lo * 31 + vLo;
  const carry = Math.floor(l / TWO32);
  hLo = l >>> 0;
  hHi = (hi * 31 + vHi + carry) >>> 0;
}

class Hasher {
  private readonly r: RawTypes;
  private readonly strings: Uint8Array;

  /** Memoised results per (id, includeMembers): done flag, high and low words. */
  private readonly done: [Uint8Array, Uint8Array];
  private readonly hi: [Uint32Array, Uint32Array];
  private readonly lo: [Uint32Array, Uint32Array];

  constructor(r: RawTypes) {
    this.r = r;
    this.strings = r.strings;
    this.done = [new Uint8Array(r.count), new Uint8Array(r.count)];
    this.hi = [new Uint32Array(r.count), new Uint32Array(r.count)];
    this.lo = [new Uint32Array(r.count), new Uint32Array(r.count)];
  }

  /** bpftool btf_type_disambig_hash (memoised). Result in (hHi, hLo). */
  disambig(id: number, includeMembers: boolean, depth: number): void {
    const k = includeMembers ? 1 : 0;
    if (this.done[k][id] === 1) {
      hHi = this.hi[k][id] as number;
      hLo = this.lo[k][id] as number;
      return;
    }
    this.compute(id, includeMembers, depth);
    this.done[k][id] = 1;
    this.hi[k][id] = hHi;
    this.lo[k][id] = hLo;
  }

  /** High words of the full hashes (includeMembers) computed so far, by id. */
  get fullHi(): Uint32Array {
    return this.hi[1];
  }

  /** Low words of the full hashes (includeMembers) computed so far, by id. */
  get fullLo(): Uint32Array {
    return this.lo[1];
  }

  /** libbpf str_hash over the raw bytes (chars are signed, as on x86). Result in (hHi, hLo). */
  private strHash(off: number): void {
    const s = this.strings;
    let hi = 0;
    let lo = 0;
    for (let i = off; i < s.length && s[i] !== 0; i++) {
      const c = s[i] as number;
      if (c < 128) mulAdd(hi, lo, 0, c);
      else mulAdd(hi, lo, 0xffffffff, (c - 256 + TWO32) >>> 0);
      hi = hHi;
      lo = hLo;
    }
    hHi = hi;
    hLo = lo;
  }

  /** hash = hash * 31 + str_hash(name), skipped for the empty name. Result in (hHi, hLo). */
  private nameHash(hi: number, lo: number, off: number): void {
    if (off === 0) {
      hHi = hi;
      hLo = lo;
      return;
    }
    this.strHash(off);
    mulAdd(hi, lo, hHi, hLo);
  }

  private compute(id: number, includeMembers: boolean, depth: number): void {
    if (depth > MAX_NESTING) throw loopError(id, "cyclic type chain while sorting");
    const r = this.r;
    const w = r.w;
    this.nameHash(0, 0, r.nameOff(id));
    let hi = hHi;
    let lo = hLo;
    const base = r.data(id);
    switch (r.kind(id)) {
      case BtfKind.ENUM:
      case BtfKind.ENUM64: {
        const stride = r.kind(id) === BtfKind.ENUM64 ? 3 : 2;
        for (let i = 0; i < r.vlen(id); i++) {
          this.nameHash(hi, lo, w[base + stride * i] as number);
          hi = hHi;
          lo = hLo;
        }
        break;
      }
      case BtfKind.STRUCT:
      case BtfKind.UNION:
        if (!includeMembers) break;
        for (let i = 0; i < r.vlen(id); i++) {
          this.nameHash(hi, lo, w[base + 3 * i] as number);
          hi = hHi;
          lo = hLo;
          this.disambig(w[base + 3 * i + 1] as number, false, depth + 1);
          mulAdd(hi, lo, hHi, hLo);
          hi = hHi;
          lo = hLo;
        }
        break;
      case BtfKind.TYPE_TAG:
      case BtfKind.CONST:
      case BtfKind.PTR:
      case BtfKind.VOLATILE:
      case BtfKind.RESTRICT:
      case BtfKind.TYPEDEF:
      case BtfKind.DECL_TAG:
        this.disambig(r.sizeOrType(id), includeMembers, depth + 1);
        mulAdd(hi, lo, hHi, hLo);
        hi = hHi;
        lo = hLo;
        break;
      case BtfKind.ARRAY:
        mulAdd(hi, lo, 0, w[base + 2] as number);
        hi = hHi;
        lo = hLo;
        this.disambig(w[base] as number, includeMembers, depth + 1);
        mulAdd(hi, lo, hHi, hLo);
        hi = hHi;
        lo = hLo;
        break;
      default:
        break;
    }
    hHi = hi;
    hLo = lo;
  }
}

/** strcmp of two NUL-terminated strings in the string section (unsigned bytes). */
export function strcmpAt(s: Uint8Array, a: number, b: number): number {
  if (a === b) return 0;
  for (;;) {
    const x = s[a++] ?? 0;
    const y = s[b++] ?? 0;
    if (x !== y) return x - y;
    if (x === 0) return 0;
  }
}

/**
 * All type ids (void included) in bpftool 7.7's order. bpftool then dumps entries 1..n-1 of
 * this array, so whichever type sorts first is never dumped directly. `packed` false sorts with
 * bpftool's comparator alone (the reference the tests hold the packed sort to).
 */
export function sortedTypeIds(r: RawTypes, packed = true): Int32Array {
  const n = r.count;
  const rank = new Uint8Array(n);
  const sortName = new Uint32Array(n);
  const ownName = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    rank[i] = typeRank(r, i);
    sortName[i] = sortNameOff(r, i);
    ownName[i] = r.nameOff(i);
  }
  // The hasher memoises every hash it computes: its arrays are the hashes by id.
  const hasher = new Hasher(r);
  const hashHi = hasher.fullHi;
  const hashLo = hasher.fullLo;
  const hashOf = (id: number): void => hasher.disambig(id, true, 0);
  const strs = r.strings;
  /** bpftool's comparator: rank, sort name, own name, hash (unsigned 64-bit), id. */
  const compare = (a: number, b: number): number => {
    const rk = (rank[a] as number) - (rank[b] as number);
    if (rk !== 0) return rk;
    const s = strcmpAt(strs, sortName[a] as number, sortName[b] as number);
    if (s !== 0) return s;
    const o = strcmpAt(strs, ownName[a] as number, ownName[b] as number);
    if (o !== 0) return o;
    hashOf(a);
    hashOf(b);
    const ah = hashHi[a] as number;
    const bh = hashHi[b] as number;
    if (ah !== bh) return ah < bh ? -1 : 1;
    const al = hashLo[a] as number;
    const bl = hashLo[b] as number;
    if (al !== bl) return al < bl ? -1 : 1;
    return a - b;
  };
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  if (!packed || n > PACKED_ID_LIMIT) return ids.sort(compare);

  // First by rank and the first five bytes of the sort name (0 from the terminator on, so shorter sorts
  // first as with strcmp), natively; then each run that ties on those, by the comparator.
  const keyHi = new Uint32Array(n);
  const keyLo = new Uint32Array(n);
  const len = strs.length;
  for (let i = 0; i < n; i++) {
    let p = sortName[i] as number;
    const b0 = p < len ? (strs[p] as number) : 0;
    const b1 = b0 !== 0 && ++p < len ? (strs[p] as number) : 0;
    const b2 = b1 !== 0 && ++p < len ? (strs[p] as number) : 0;
    const b3 = b2 !== 0 && ++p < len ? (strs[p] as number) : 0;
    const b4 = b3 !== 0 && ++p < len ? (strs[p] as number) : 0;
    keyHi[i] = (((rank[i] as number) << 28) | (b0 << 20) | (b1 << 12) | (b2 << 4) | (b3 >>> 4)) >>> 0;
    keyLo[i] = ((((b3 & 15) << 8) | b4) << 20) >>> 0;
  }
  sortPacked(ids, keyHi, keyLo);
  forEachTie(ids, keyHi, keyLo, (from, to) => {
    const run = ids.subarray(from, to);
    const first = run[0] as number;
    let sameNames = true;
    for (let i = 1; i < run.length && sameNames; i++) {
      const id = run[i] as number;
      sameNames = strcmpAt(strs, sortName[id] as number, sortName[first] as number) === 0 && strcmpAt(strs, ownName[id] as number, ownName[first] as number) === 0;
    }
    if (!sameNames || run.length < 16) {
      run.sort(compare);
      return;
    }
    // Long runs of one name (mostly anonymous types) differ only in their hashes: sort those natively too.
    for (const id of run) hashOf(id);
    sortPacked(run, hashHi, hashLo);
    forEachTie(run, hashHi, hashLo, (a, b) => run.subarray(a, b).sort(compare));
  });
  return ids;
}
