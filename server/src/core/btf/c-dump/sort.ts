// bpftool 7.7's `format c` type order (btf.c sort_btf_c): rank, sort name, own name, a name hash, then type id.

import type { Btf } from "../parse.js";
import type { BtfType } from "../types.js";
import { MAX_NESTING, loopError } from "./state.js";

const MAX_RANK = 10;

/** Rank: anonymous enum 0, named enum 1, int/float 2, struct/union 3, func_proto 4, the rest 10; named refs take their target's rank. */
function typeRank(types: readonly BtfType[], id: number): number {
  let hasName = false;
  for (let depth = 0; depth <= MAX_NESTING; depth++) {
    const t = types[id] as BtfType;
    if (t.nameOff !== 0) hasName = true;
    switch (t.kind) {
      case "enum":
      case "enum64":
        return hasName ? 1 : 0;
      case "int":
      case "float":
        return 2;
      case "struct":
      case "union":
        return hasName ? 3 : MAX_RANK;
      case "func_proto":
        return hasName ? 4 : MAX_RANK;
      case "array":
      case "type_tag":
      case "const":
      case "ptr":
      case "volatile":
      case "restrict":
      case "typedef":
      case "decl_tag":
        if (!hasName) return MAX_RANK;
        id = t.type;
        break;
      default:
        return MAX_RANK;
    }
  }
  throw loopError(id, "cyclic type chain while sorting");
}

/** String offset of the name a type sorts under: its own, or that of what it refers to (anonymous enums: first enumerator). */
function sortNameOff(types: readonly BtfType[], id: number): number {
  let fromRef = false;
  for (let depth = 0; depth <= MAX_NESTING; depth++) {
    const t = types[id] as BtfType;
    switch (t.kind) {
      case "enum":
      case "enum64": {
        const first = t.values[0];
        if (!fromRef && t.nameOff === 0 && first !== undefined) return first.nameOff;
        return t.nameOff;
      }
      case "array":
      case "type_tag":
      case "const":
      case "ptr":
      case "volatile":
      case "restrict":
      case "typedef":
      case "decl_tag":
        id = t.type;
        fromRef = true;
        break;
      default:
        return t.nameOff;
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
  private readonly types: readonly BtfType[];
  private readonly strings: Uint8Array;
  private readonly strHi = new Map<number, number>();
  private readonly strLo = new Map<number, number>();

  constructor(btf: Btf) {
    this.types = btf.types;
    this.strings = btf.strings;
  }

  /** libbpf str_hash over the raw bytes (chars are signed, as on x86). Result in (hHi, hLo). */
  private strHash(off: number): void {
    const cHi = this.strHi.get(off);
    if (cHi !== undefined) {
      hHi = cHi;
      hLo = this.strLo.get(off) as number;
      return;
    }
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
    this.strHi.set(off, hi);
    this.strLo.set(off, lo);
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

  /** bpftool btf_type_disambig_hash. Result in (hHi, hLo). */
  disambig(id: number, includeMembers: boolean, depth: number): void {
    if (depth > MAX_NESTING) throw loopError(id, "cyclic type chain while sorting");
    const t = this.types[id] as BtfType;
    this.nameHash(0, 0, t.nameOff);
    let hi = hHi;
    let lo = hLo;
    switch (t.kind) {
      case "enum":
      case "enum64":
        for (const v of t.values) {
          this.nameHash(hi, lo, v.nameOff);
          hi = hHi;
          lo = hLo;
        }
        break;
      case "struct":
      case "union":
        if (!includeMembers) break;
        for (const m of t.members) {
          this.nameHash(hi, lo, m.nameOff);
          hi = hHi;
          lo = hLo;
          this.disambig(m.type, false, depth + 1);
          mulAdd(hi, lo, hHi, hLo);
          hi = hHi;
          lo = hLo;
        }
        break;
      case "type_tag":
      case "const":
      case "ptr":
      case "volatile":
      case "restrict":
      case "typedef":
      case "decl_tag":
        this.disambig(t.type, includeMembers, depth + 1);
        mulAdd(hi, lo, hHi, hLo);
        hi = hHi;
        lo = hLo;
        break;
      case "array":
        mulAdd(hi, lo, 0, t.nelems);
        hi = hHi;
        lo = hLo;
        this.disambig(t.type, includeMembers, depth + 1);
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
function strcmpAt(s: Uint8Array, a: number, b: number): number {
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
 * this array, so whichever type sorts first is never dumped directly.
 */
export function sortedTypeIds(btf: Btf): Int32Array {
  const types = btf.types;
  const n = types.length;
  const rank = new Uint8Array(n);
  const sortName = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    rank[i] = typeRank(types, i);
    sortName[i] = sortNameOff(types, i);
  }
  const hasher = new Hasher(btf);
  const hashDone = new Uint8Array(n);
  const hashHi = new Uint32Array(n);
  const hashLo = new Uint32Array(n);
  const hashOf = (id: number): void => {
    if (hashDone[id] === 0) {
      hasher.disambig(id, true, 0);
      hashHi[id] = hHi;
      hashLo[id] = hLo;
      hashDone[id] = 1;
    }
  };
  const strs = btf.strings;
  const ids = Array.from({ length: n }, (_, i) => i);
  ids.sort((a, b) => {
    const r = (rank[a] as number) - (rank[b] as number);
    if (r !== 0) return r;
    const s = strcmpAt(strs, sortName[a] as number, sortName[b] as number);
    if (s !== 0) return s;
    const o = strcmpAt(strs, (types[a] as BtfType).nameOff, (types[b] as BtfType).nameOff);
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
  });
  return Int32Array.from(ids);
}
