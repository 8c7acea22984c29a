// Size and alignment of BTF types as libbpf computes them (btf__resolve_size, btf__align_of), bounded against cycles.

import { BtfKind } from "../types.js";
import type { RawTypes } from "./raw.js";
import { loopError } from "./state.js";

/** libbpf: MAX_RESOLVE_DEPTH. */
const MAX_RESOLVE_DEPTH = 32;
/** Our bound on btf__align_of recursion (libbpf has none: a typedef cycle crashes it). */
const MAX_ALIGN_DEPTH = 2000;
const UINT32_MAX = 0xffffffff;

export class Layout {
  private readonly r: RawTypes;
  private readonly ptrSize: number;
  /** Memoised results (both functions are pure): alignment (-1: not computed yet), size (NaN: not yet). */
  private readonly align: Int32Array;
  private readonly size: Float64Array;

  constructor(r: RawTypes, ptrSize: number) {
    this.r = r;
    this.ptrSize = ptrSize;
    this.align = new Int32Array(r.count).fill(-1);
    this.size = new Float64Array(r.count).fill(Number.NaN);
  }

  /** btf__resolve_size: byte size, or a negative errno (-22 EINVAL, -7 E2BIG). */
  resolveSize(id: number): number {
    const known = this.size[id] as number;
    if (!Number.isNaN(known)) return known;
    const size = this.computeSize(id);
    this.size[id] = size;
    return size;
  }

  private computeSize(id: number): number {
    const r = this.r;
    let nelems = 1;
    let size = -1;
    for (let i = 0; i < MAX_RESOLVE_DEPTH && id !== 0; i++) {
      const k = r.kind(id);
      if (k === BtfKind.INT || k === BtfKind.STRUCT || k === BtfKind.UNION || k === BtfKind.ENUM || k === BtfKind.ENUM64 || k === BtfKind.DATASEC || k === BtfKind.FLOAT) {
        size = r.sizeOrType(id);
        break;
      }
      if (k === BtfKind.PTR) {
        size = this.ptrSize;
        break;
      }
      if (k === BtfKind.ARRAY) {
        const ne = r.w[r.data(id) + 2] as number;
        if (nelems && ne > Math.floor(UINT32_MAX / nelems)) return -7;
        nelems *= ne;
        id = r.target(id);
        continue;
      }
      if (k === BtfKind.TYPEDEF || k === BtfKind.VOLATILE || k === BtfKind.CONST || k === BtfKind.RESTRICT || k === BtfKind.VAR || k === BtfKind.DECL_TAG || k === BtfKind.TYPE_TAG) {
        id = r.sizeOrType(id);
        continue;
      }
      return -22;
    }
    if (size < 0) return -22;
    if (nelems && size > Math.floor(UINT32_MAX / nelems)) return -7;
    return nelems * size;
  }

  /** btf__align_of: alignment in bytes, 0 for kinds without one (void, func_proto, ...). */
  alignOf(id: number, depth = 0): number {
    const known = this.align[id] as number;
    if (known >= 0) return known;
    if (depth > MAX_ALIGN_DEPTH) throw loopError(id, "type nesting too deep while computing alignment");
    const a = this.computeAlign(id, depth);
    this.align[id] = a;
    return a;
  }

  private computeAlign(id: number, depth: number): number {
    const r = this.r;
    switch (r.kind(id)) {
      case BtfKind.INT:
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
      case BtfKind.FLOAT:
        return Math.min(this.ptrSize, r.sizeOrType(id));
      case BtfKind.PTR:
        return this.ptrSize;
      case BtfKind.TYPEDEF:
      case BtfKind.VOLATILE:
      case BtfKind.CONST:
      case BtfKind.RESTRICT:
      case BtfKind.TYPE_TAG:
      case BtfKind.ARRAY:
        return this.alignOf(r.target(id), depth + 1);
      case BtfKind.STRUCT:
      case BtfKind.UNION:
        return this.compositeAlignOf(id, depth);
      default:
        return 0;
    }
  }

  private compositeAlignOf(id: number, depth: number): number {
    const r = this.r;
    const w = r.w;
    const kflag = r.kflag(id);
    const base = r.data(id);
    const vlen = r.vlen(id);
    let maxAlign = 1;
    for (let i = 0; i < vlen; i++) {
      const align = this.alignOf(w[base + 3 * i + 1] as number, depth + 1);
      if (align <= 0) return 0;
      maxAlign = Math.max(maxAlign, align);
      // A member not aligned to its type's alignment means the struct is packed.
      const off = w[base + 3 * i + 2] as number;
      const bitfield = kflag ? off >>> 24 : 0;
      const bitOff = kflag ? off & 0xffffff : off;
      if (bitfield === 0 && bitOff % (8 * align) !== 0) return 1;
    }
    return r.sizeOrType(id) % maxAlign !== 0 ? 1 : maxAlign;
  }
}
