// Topological ordering of type definitions with strong and weak links (libbpf btf_dump_order_type).
//
// A link from X to Y is weak when the chain between them passes through a pointer and reaches a
// named type: then a forward declaration of Y is enough. Otherwise it is strong and Y must be
// fully defined first. orderType returns 1 for strong, 0 for weak, and throws ELOOP on a cycle
// that no forward declaration can break.

import { BtfKind } from "../types.js";
import { type DumpState, MAX_NESTING, ORDERED, ORDERING, loopError } from "./state.js";

export function orderType(d: DumpState, id: number, throughPtr: boolean, depth = 0): number {
  if (depth > MAX_NESTING) throw loopError(id, "type chain too deep or cyclic");
  const state = d.orderState;
  if (state[id] === ORDERED) return 1;
  const r = d.r;
  const kind = r.kind(id);
  const named = r.nameOff(id) !== 0;
  if (state[id] === ORDERING) {
    // A loop, but one a forward declaration resolves.
    if ((kind === BtfKind.STRUCT || kind === BtfKind.UNION) && throughPtr && named) return 0;
    throw loopError(id, "unsatisfiable type cycle");
  }
  switch (kind) {
    case BtfKind.INT:
    case BtfKind.FLOAT:
      state[id] = ORDERED;
      return 0;
    case BtfKind.PTR: {
      const res = orderType(d, r.sizeOrType(id), true, depth + 1);
      state[id] = ORDERED;
      return res;
    }
    case BtfKind.ARRAY:
      return orderType(d, r.target(id), false, depth + 1);
    case BtfKind.STRUCT:
    case BtfKind.UNION: {
      // Part of a strong link only when embedded (no pointer on the way) or anonymous (defined inline).
      if (throughPtr && named) return 0;
      state[id] = ORDERING;
      const w = r.w;
      const base = r.data(id);
      const vlen = r.vlen(id);
      for (let i = 0; i < vlen; i++) orderType(d, w[base + 3 * i + 1] as number, false, depth + 1);
      if (named) d.emitQueue.push(id);
      state[id] = ORDERED;
      return 1;
    }
    case BtfKind.ENUM:
    case BtfKind.ENUM64:
    case BtfKind.FWD:
      // Named and unreferenced (top-level) enums are definitions of their own.
      if (named || d.referenced[id] === 0) d.emitQueue.push(id);
      state[id] = ORDERED;
      return 1;
    case BtfKind.TYPEDEF: {
      const strong = orderType(d, r.sizeOrType(id), throughPtr, depth + 1);
      if (throughPtr && !strong) return 0;
      d.emitQueue.push(id);
      state[id] = ORDERED;
      return 1;
    }
    case BtfKind.VOLATILE:
    case BtfKind.CONST:
    case BtfKind.RESTRICT:
    case BtfKind.TYPE_TAG:
      return orderType(d, r.sizeOrType(id), throughPtr, depth + 1);
    case BtfKind.FUNC_PROTO: {
      let strong = orderType(d, r.sizeOrType(id), throughPtr, depth + 1) > 0;
      const w = r.w;
      const base = r.data(id);
      const vlen = r.vlen(id);
      for (let i = 0; i < vlen; i++) {
        if (orderType(d, w[base + 2 * i + 1] as number, throughPtr, depth + 1) > 0) strong = true;
      }
      return strong ? 1 : 0;
    }
    case BtfKind.FUNC:
    case BtfKind.VAR:
    case BtfKind.DATASEC:
    case BtfKind.DECL_TAG:
      state[id] = ORDERED;
      return 0;
    default:
      // Void is ORDERED from the start; the parser rejects unknown kinds.
      throw loopError(id, "unexpected kind in type ordering");
  }
}
