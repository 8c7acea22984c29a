// Small BTF queries libbpf uses while opening an object: resolve_size, align_of, skip_mods_and_typedefs.

import type { Btf } from "../btf/parse.js";
import type { BtfType } from "../btf/types.js";

/** libbpf: MAX_RESOLVE_DEPTH. */
const MAX_RESOLVE_DEPTH = 32;

/** The type with this id, or undefined when out of range; decodes only that type (not all of a vmlinux). */
export function typeAt(btf: Btf, id: number): BtfType | undefined {
  return Number.isInteger(id) && id >= 0 && id < btf.count ? btf.type(id) : undefined;
}

/** btf__resolve_size(): size in bytes of a type, following modifiers, typedefs, vars and arrays; -1 if unknown. */
export function resolveSize(btf: Btf, id: number): number {
  let nelems = 1;
  let cur = id;
  for (let depth = 0; depth < MAX_RESOLVE_DEPTH; depth++) {
    const t = typeAt(btf, cur);
    if (t === undefined || t.kind === "void") return -1;
    switch (t.kind) {
      case "int":
      case "struct":
      case "union":
      case "enum":
      case "enum64":
      case "datasec":
      case "float":
        return nelems * t.size;
      case "ptr":
        return nelems * btf.pointerSize;
      case "typedef":
      case "volatile":
      case "const":
      case "restrict":
      case "type_tag":
      case "var":
      case "decl_tag":
        cur = t.type;
        break;
      case "array":
        nelems *= t.nelems;
        if (nelems > 0xffffffff) return -1;
        cur = t.type;
        break;
      default:
        return -1;
    }
  }
  return -1;
}

/** btf__align_of(): natural alignment (capped at the pointer size for scalars), 1 for packed structs; -1 if unknown. */
export function alignOf(btf: Btf, id: number, depth = 0): number {
  const t = typeAt(btf, id);
  if (t === undefined || depth > MAX_RESOLVE_DEPTH) return -1;
  switch (t.kind) {
    case "int":
    case "enum":
    case "enum64":
    case "float":
      return Math.min(btf.pointerSize, t.size);
    case "ptr":
      return btf.pointerSize;
    case "typedef":
    case "volatile":
    case "const":
    case "restrict":
    case "type_tag":
    case "var":
    case "array":
      return alignOf(btf, t.type, depth + 1);
    case "struct":
    case "union": {
      let max = 1;
      for (const m of t.members) {
        const a = alignOf(btf, m.type, depth + 1);
        if (a <= 0) return -1;
        max = Math.max(max, a);
        // A member off its natural alignment means the struct is packed.
        if (m.bitfieldSize === 0 && m.bitOffset % (8 * a) !== 0) return 1;
      }
      return t.size % max !== 0 ? 1 : max;
    }
    default:
      return -1;
  }
}

/** skip_mods_and_typedefs(): the first type that is not const/volatile/restrict/typedef/type_tag. */
export function skipModsAndTypedefs(btf: Btf, id: number): { id: number; type: BtfType | undefined } {
  let cur = id;
  for (let depth = 0; depth < MAX_RESOLVE_DEPTH; depth++) {
    const t = typeAt(btf, cur);
    if (t === undefined) return { id: cur, type: undefined };
    if (t.kind === "typedef" || t.kind === "const" || t.kind === "volatile" || t.kind === "restrict" || t.kind === "type_tag") {
      cur = t.type;
      continue;
    }
    return { id: cur, type: t };
  }
  return { id: cur, type: undefined };
}

/** The id of the DATASEC named `name`, or 0. */
export function findDatasec(btf: Btf, name: string): number {
  for (const id of btf.idsByName(name)) if (typeAt(btf, id)?.kind === "datasec") return id;
  return 0;
}
