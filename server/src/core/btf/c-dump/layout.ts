// Size and alignment of BTF types as libbpf computes them (btf__resolve_size, btf__align_of), bounded against cycles.

import type { Btf } from "../parse.js";
import type { BtfType } from "../types.js";
import { loopError } from "./state.js";

/** libbpf: MAX_RESOLVE_DEPTH. */
const MAX_RESOLVE_DEPTH = 32;
/** Our bound on btf__align_of recursion (libbpf has none: a typedef cycle crashes it). */
const MAX_ALIGN_DEPTH = 2000;
const UINT32_MAX = 0xffffffff;

export class Layout {
  private readonly types: readonly BtfType[];
  private readonly ptrSize: number;
  /** Memoised alignment of structs/unions (-1: not computed yet). */
  private readonly compositeAlign: Int32Array;

  constructor(btf: Btf, ptrSize: number) {
    this.types = btf.types;
    this.ptrSize = ptrSize;
    this.compositeAlign = new Int32Array(btf.types.length).fill(-1);
  }

  /** btf__resolve_size: byte size, or a negative errno (-22 EINVAL, -7 E2BIG). */
  resolveSize(id: number): number {
    let nelems = 1;
    let size = -1;
    let t = this.types[id];
    for (let i = 0; i < MAX_RESOLVE_DEPTH && t !== undefined && t.kind !== "void"; i++) {
      switch (t.kind) {
        case "int":
        case "struct":
        case "union":
        case "enum":
        case "enum64":
        case "datasec":
        case "float":
          size = t.size;
          break;
        case "ptr":
          size = this.ptrSize;
          break;
        case "typedef":
        case "volatile":
        case "const":
        case "restrict":
        case "var":
        case "decl_tag":
        case "type_tag":
          t = this.types[t.type];
          continue;
        case "array":
          if (nelems && t.nelems > Math.floor(UINT32_MAX / nelems)) return -7;
          nelems *= t.nelems;
          t = this.types[t.type];
          continue;
        default:
          return -22;
      }
      break;
    }
    if (size < 0) return -22;
    if (nelems && size > Math.floor(UINT32_MAX / nelems)) return -7;
    return nelems * size;
  }

  /** btf__align_of: alignment in bytes, 0 for kinds without one (void, func_proto, ...). */
  alignOf(id: number, depth = 0): number {
    if (depth > MAX_ALIGN_DEPTH) throw loopError(id, "type nesting too deep while computing alignment");
    const t = this.types[id];
    if (t === undefined) return 0;
    switch (t.kind) {
      case "int":
      case "enum":
      case "enum64":
      case "float":
        return Math.min(this.ptrSize, t.size);
      case "ptr":
        return this.ptrSize;
      case "typedef":
      case "volatile":
      case "const":
      case "restrict":
      case "type_tag":
      case "array":
        return this.alignOf(t.type, depth + 1);
      case "struct":
      case "union": {
        const memo = this.compositeAlign[id] as number;
        if (memo >= 0) return memo;
        let maxAlign = 1;
        let result = -1;
        for (const m of t.members) {
          const align = this.alignOf(m.type, depth + 1);
          if (align <= 0) {
            result = 0;
            break;
          }
          maxAlign = Math.max(maxAlign, align);
          // A member not aligned to its type's alignment means the struct is packed.
          if (m.bitfieldSize === 0 && m.bitOffset % (8 * align) !== 0) {
            result = 1;
            break;
          }
        }
        if (result < 0) result = t.size % maxAlign !== 0 ? 1 : maxAlign;
        this.compositeAlign[id] = result;
        return result;
      }
      default:
        return 0;
    }
  }
}
