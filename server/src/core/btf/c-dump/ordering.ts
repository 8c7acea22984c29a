// Topological ordering of type definitions with strong and weak links (libbpf btf_dump_order_type).
//
// A link from X to Y is weak when the chain between them passes through a pointer and reaches a
// named type: then a forward declaration of Y is enough. Otherwise it is strong and Y must be
// fully defined first. orderType returns 1 for strong, 0 for weak, and throws ELOOP on a cycle
// that no forward declaration can break.

import { type DumpState, MAX_NESTING, ORDERED, ORDERING, loopError } from "./state.js";

export function orderType(d: DumpState, id: number, throughPtr: boolean, depth = 0): number {
  if (depth > MAX_NESTING) throw loopError(id, "type chain too deep or cyclic");
  const state = d.orderState;
  if (state[id] === ORDERED) return 1;
  const t = d.type(id);
  if (state[id] === ORDERING) {
    // A loop, but one a forward declaration resolves.
    if ((t.kind === "struct" || t.kind === "union") && throughPtr && t.name !== "") return 0;
    throw loopError(id, "unsatisfiable type cycle");
  }
  switch (t.kind) {
    case "int":
    case "float":
      state[id] = ORDERED;
      return 0;
    case "ptr": {
      const r = orderType(d, t.type, true, depth + 1);
      state[id] = ORDERED;
      return r;
    }
    case "array":
      return orderType(d, t.type, false, depth + 1);
    case "struct":
    case "union": {
      // Part of a strong link only when embedded (no pointer on the way) or anonymous (defined inline).
      if (throughPtr && t.name !== "") return 0;
      state[id] = ORDERING;
      for (const m of t.members) orderType(d, m.type, false, depth + 1);
      if (t.name !== "") d.emitQueue.push(id);
      state[id] = ORDERED;
      return 1;
    }
    case "enum":
    case "enum64":
    case "fwd":
      // Named and unreferenced (top-level) enums are definitions of their own.
      if (t.name !== "" || d.referenced[id] === 0) d.emitQueue.push(id);
      state[id] = ORDERED;
      return 1;
    case "typedef": {
      const strong = orderType(d, t.type, throughPtr, depth + 1);
      if (throughPtr && !strong) return 0;
      d.emitQueue.push(id);
      state[id] = ORDERED;
      return 1;
    }
    case "volatile":
    case "const":
    case "restrict":
    case "type_tag":
      return orderType(d, t.type, throughPtr, depth + 1);
    case "func_proto": {
      let strong = orderType(d, t.returnType, throughPtr, depth + 1) > 0;
      for (const p of t.params) {
        if (orderType(d, p.type, throughPtr, depth + 1) > 0) strong = true;
      }
      return strong ? 1 : 0;
    }
    case "func":
    case "var":
    case "datasec":
    case "decl_tag":
      state[id] = ORDERED;
      return 0;
    case "void":
      return 1;
    default:
      throw loopError(id, "unexpected kind in type ordering");
  }
}
