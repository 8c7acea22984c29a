// Identifier rules of bpftool's gen.c: map and data-section identifiers, header guards, object names.

import { internalMapUserName, sanitizeIdentifier } from "../object/open.js";
import type { BpfMap } from "../object/types.js";

const INTERNAL_SUFFIXES = [".data", ".rodata", ".bss", ".kconfig"];

/** bpf_map__name() for a map of an object that libbpf opened under `libbpfObjName`. */
export function mapName(map: BpfMap, libbpfObjName: string): string {
  return isInternal(map) ? internalMapUserName(libbpfObjName, map.kind, map.realName) : map.name;
}

export function isInternal(map: BpfMap): boolean {
  return map.kind === "data" || map.kind === "rodata" || map.kind === "bss" || map.kind === "kconfig";
}

/** get_map_ident(): the map's name, or for internal maps the text after the first known suffix's dot. */
export function mapIdent(map: BpfMap, libbpfObjName: string): string | undefined {
  const name = mapName(map, libbpfObjName);
  if (!isInternal(map)) return name;
  for (const sfx of INTERNAL_SUFFIXES) {
    const at = name.indexOf(sfx);
    if (at >= 0) return sanitizeIdentifier(name.slice(at + 1));
  }
  return undefined;
}

/** get_datasec_ident(): `.rodata.str1.1` -> `rodata_str1_1`; undefined for other sections. */
export function datasecIdent(secName: string): string | undefined {
  if (secName === ".addr_space.1") return "arena";
  for (const pfx of INTERNAL_SUFFIXES) if (secName.startsWith(pfx)) return sanitizeIdentifier(secName.slice(1));
  return undefined;
}

/** get_header_guard(): `__NAME_SKEL_H__` upper-cased bytewise (ASCII only, like toupper in the C locale). */
export function headerGuard(objName: string, suffix: string): string {
  return `__${objName}_${suffix}__`.replace(/[a-z]/g, (c) => c.toUpperCase());
}

/** The escape print_hex() writes for each byte value: `\xHH`, or `\0` for zero. */
const HEX_ESCAPES: readonly string[] = Array.from({ length: 256 }, (_, b) => (b ? `\\x${b.toString(16).padStart(2, "0")}` : "\\0"));

/** print_hex(): the object bytes as a C string body, `\0` for zero bytes, lines broken before 78 columns. */
export function printHex(data: Uint8Array): string {
  // One table lookup per byte instead of toString/padStart/template (objects run to hundreds of KiB).
  let out = "";
  let line = "";
  let len = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i] as number;
    const w = b ? 4 : 2;
    len += w;
    if (len > 78) {
      out += `${line}\\\n`;
      line = "";
      len = w;
    }
    line += HEX_ESCAPES[b] as string;
  }
  return out + line;
}
