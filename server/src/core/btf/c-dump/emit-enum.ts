// Enums, forward declarations, typedefs and compiler-alias fix-ups (libbpf btf_dump_emit_{enum,fwd,typedef}_*).

import { BtfKind } from "../types.js";
import { emitTypeDecl } from "./declarators.js";
import type { DumpState } from "./state.js";

const TABS = "\t\t\t\t\t\t\t\t\t\t\t\t\t";

/** Indentation for nesting level `lvl` (libbpf pfx(): at most 13 tabs). */
export function pfx(lvl: number): string {
  return lvl >= TABS.length ? TABS : TABS.slice(0, lvl);
}

/** `__builtin_va_list` is a compiler built-in; its typedef is never printed. */
export function isBlacklisted(d: DumpState, id: number): boolean {
  return d.r.name(id) === "__builtin_va_list";
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

const TWO32 = 0x100000000;

/** An ENUM64 value (lo, hi words) in C: `%lldLL` when signed, `%lluULL` otherwise. */
function enum64Value(lo: number, hi: number, signed: boolean): string {
  if (signed && hi >= 0x80000000) {
    // Negative: exact as a double while the magnitude stays below 2^53.
    if (hi >= 0xffe00000) return `${(hi - TWO32) * TWO32 + lo}LL`;
    return `${BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo))}LL`;
  }
  const v = hi < 0x200000 ? String(hi * TWO32 + lo) : String((BigInt(hi) << 32n) | BigInt(lo));
  return signed ? `${v}LL` : `${v}ULL`;
}

export function emitEnumDef(d: DumpState, id: number, lvl: number): void {
  const r = d.r;
  const name = d.names.typeName(id);
  const vlen = r.vlen(id);
  const named = r.nameOff(id) !== 0;
  if (vlen === 0) {
    d.print(named ? `enum ${name}` : "enum");
    return;
  }
  const ind = pfx(lvl + 1);
  let s = named ? `enum ${name} {` : "enum {";
  const is64 = r.kind(id) === BtfKind.ENUM64;
  const signed = r.kflag(id);
  const w = r.w;
  const base = r.data(id);
  const stride = is64 ? 3 : 2;
  const names = d.names;
  const replay = names.replayEnumerators ? names.printedEnumerators.get(id) : undefined;
  const printed: string[] | undefined = replay === undefined && !names.printedEnumerators.has(id) ? [] : undefined;
  for (let i = 0; i < vlen; i++) {
    const at = base + stride * i;
    let vname = replay?.[i];
    if (vname === undefined) {
      vname = r.str(w[at] as number);
      // Enumerators share the identifier namespace with typedefs: like libbpf, count them at every printing.
      const dups = names.enumeratorDups(vname);
      if (dups > 1) vname = `${vname}___${dups}`;
    }
    printed?.push(vname);
    const lo = w[at + 1] as number;
    const num = is64 ? enum64Value(lo, w[at + 2] as number, signed) : String(signed ? lo | 0 : lo);
    s += `\n${ind}${vname} = ${num},`;
  }
  if (printed) names.printedEnumerators.set(id, printed);
  s += `\n${pfx(lvl)}}`;
  // Debian's libbpf 1.1 (Linux 6.1 tree) predates the special-size attributes.
  if (d.profile.enumModeByte) s += sizeAttribute(d, id);
  d.print(s);
}

/** `mode(byte)` for 1-byte enums; `mode(word)` for 8-byte ones whose values would not make the compiler widen them. */
function sizeAttribute(d: DumpState, id: number): string {
  const r = d.r;
  const size = r.sizeOrType(id);
  if (size === 1) return " __attribute__((mode(byte)))";
  if (size !== 8 || d.ptrSize !== 8) return "";
  if (r.kind(id) === BtfKind.ENUM64) {
    const base = r.data(id);
    for (let i = 0; i < r.vlen(id); i++) {
      if (r.w[base + 3 * i + 2] !== 0) return "";
    }
  }
  return " __attribute__((mode(word)))";
}

export function emitFwdDef(d: DumpState, id: number): void {
  d.print(`${d.r.kflag(id) ? "union" : "struct"} ${d.names.typeName(id)}`);
}

export function emitTypedefDef(d: DumpState, id: number, lvl: number): void {
  const name = d.names.identName(id);
  const target = d.r.sizeOrType(id);
  // Old GCC emits __gnuc_va_list as a typedef of void; libbpf repairs it.
  if (target === 0 && name === "__gnuc_va_list") {
    d.print("typedef __builtin_va_list __gnuc_va_list");
    return;
  }
  d.print("typedef ");
  emitTypeDecl(d, target, name, lvl);
}
