// Enums, forward declarations, typedefs and compiler-alias fix-ups (libbpf btf_dump_emit_{enum,fwd,typedef}_*).

import type { BtfEnum, BtfFwd, BtfRef, BtfType } from "../types.js";
import { emitTypeDecl } from "./declarators.js";
import type { DumpState } from "./state.js";

const TABS = "\t\t\t\t\t\t\t\t\t\t\t\t\t";

/** Indentation for nesting level `lvl` (libbpf pfx(): at most 13 tabs). */
export function pfx(lvl: number): string {
  return lvl >= TABS.length ? TABS : TABS.slice(0, lvl);
}

/** `__builtin_va_list` is a compiler built-in; its typedef is never printed. */
export function isBlacklisted(t: BtfType): boolean {
  return t.name === "__builtin_va_list";
}

/** GCC's Arm SIMD __PolyX_t types, aliased to standard types. */
const MISSING_BASE_TYPES: ReadonlyMap<string, string> = new Map([
  ["__Poly8_t", "unsigned char"],
  ["__Poly16_t", "unsigned short"],
  ["__Poly64_t", "unsigned long long"],
  ["__Poly128_t", "unsigned __int128"],
]);

export function emitMissingAliases(d: DumpState, id: number): void {
  // Resolving the name has a side effect that matters: the int claims its name in the tag namespace.
  const name = d.names.typeName(id);
  const alias = MISSING_BASE_TYPES.get(name);
  if (alias !== undefined) d.print(`typedef ${alias} ${name};\n\n`);
}

export function emitEnumFwd(d: DumpState, id: number): void {
  d.print(`enum ${d.names.typeName(id)}`);
}

export function emitEnumDef(d: DumpState, id: number, t: BtfEnum, lvl: number): void {
  const name = d.names.typeName(id);
  const vals = t.values;
  if (vals.length === 0) {
    d.print(t.name !== "" ? `enum ${name}` : "enum");
    return;
  }
  const ind = pfx(lvl + 1);
  let s = t.name !== "" ? `enum ${name} {` : "enum {";
  const is64 = t.kind === "enum64";
  for (const v of vals) {
    // Enumerators share the identifier namespace with typedefs.
    const dups = d.names.enumeratorDups(v.name);
    const vname = dups > 1 ? `${v.name}___${dups}` : v.name;
    let num: string;
    if (is64) num = t.signed ? `${BigInt.asIntN(64, v.value)}LL` : `${v.value}ULL`;
    else num = t.signed ? String(Number(v.value) | 0) : String(v.value);
    s += `\n${ind}${vname} = ${num},`;
  }
  s += `\n${pfx(lvl)}}`;
  // Debian's libbpf 1.1 (Linux 6.1 tree) predates the special-size attributes.
  if (d.profile.enumModeByte) s += sizeAttribute(d, t);
  d.print(s);
}

/** `mode(byte)` for 1-byte enums; `mode(word)` for 8-byte ones whose values would not make the compiler widen them. */
function sizeAttribute(d: DumpState, t: BtfEnum): string {
  if (t.size === 1) return " __attribute__((mode(byte)))";
  if (t.size !== 8 || d.ptrSize !== 8) return "";
  if (t.kind === "enum64") {
    for (const v of t.values) {
      if (v.value >> 32n !== 0n) return "";
    }
  }
  return " __attribute__((mode(word)))";
}

export function emitFwdDef(d: DumpState, id: number, t: BtfFwd): void {
  d.print(`${t.fwdKind} ${d.names.typeName(id)}`);
}

export function emitTypedefDef(d: DumpState, id: number, t: BtfRef, lvl: number): void {
  const name = d.names.identName(id);
  // Old GCC emits __gnuc_va_list as a typedef of void; libbpf repairs it.
  if (t.type === 0 && name === "__gnuc_va_list") {
    d.print("typedef __builtin_va_list __gnuc_va_list");
    return;
  }
  d.print("typedef ");
  emitTypeDecl(d, t.type, name, lvl);
}
