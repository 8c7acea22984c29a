// Struct and union definitions: members, bitfields, packed detection and `long: N` padding (libbpf btf_dump).

import { BtfLensError, ERRNO } from "../../errors.js";
import type { BtfComposite } from "../types.js";
import { emitTypeDecl } from "./declarators.js";
import { pfx } from "./emit-enum.js";
import type { DumpState } from "./state.js";

export function emitStructFwd(d: DumpState, id: number, t: BtfComposite): void {
  d.print(t.name !== "" ? `${t.kind} ${d.names.typeName(id)}` : t.kind);
}

/** A struct is packed when a non-bitfield member is misaligned or its size is not a multiple of its alignment. */
function isStructPacked(d: DumpState, t: BtfComposite): boolean {
  let maxAlign = 1;
  for (const m of t.members) {
    const align = d.layout.alignOf(m.type);
    if (align && m.bitfieldSize === 0 && m.bitOffset % (8 * align) !== 0) return true;
    maxAlign = Math.max(align, maxAlign);
  }
  return t.size % maxAlign !== 0;
}

/** Our limit on one run of padding lines (libbpf has none; real BTF needs a handful). */
const MAX_PADDING_LINES = 1 << 20;

/** C `int` arithmetic, as libbpf does it (offsets wrap at 32 bits). */
const i32 = (n: number): number => n | 0;
/** libbpf roundup(x, y) on ints: C division truncates toward zero. */
const roundup = (x: number, y: number): number => i32(Math.trunc(i32(x + y - 1) / y) * y);

/**
 * Explicit padding from bit `cur` to bit `next` (libbpf btf_dump_emit_bit_padding): align with the
 * biggest of long/int/short/char that fits, then fill with full-width anonymous bitfields.
 */
function emitBitPadding(d: DumpState, cur: number, next: number, nextAlign: number, inBitfield: boolean, lvl: number): void {
  if (cur >= next) return;
  const pads: readonly (readonly [string, number])[] = [["long", d.ptrSize * 8], ["int", 32], ["short", 16], ["char", 8]];
  const ind = pfx(lvl);
  let newOff = 0;
  let padBits = 0;
  let padType = "";
  for (const [name, b] of pads) {
    padBits = b;
    padType = name;
    newOff = roundup(cur, padBits);
    if (newOff <= next) break;
  }
  // Hostile sizes ask for millions of `long: 64;` lines: refuse early instead of building them.
  if ((next - cur) / padBits > MAX_PADDING_LINES) {
    throw new BtfLensError("unsupported", `padding of ${next - cur} bits is too large to print`, { errno: ERRNO.E2BIG });
  }
  let s = "";
  if (newOff > cur && newOff <= next) {
    // An explicit `<type>: 0` is needed when the compiler would not align there by itself, or
    // when a following `<type>: X` would fit into the remaining hole and be ignored.
    if (
      inBitfield ||
      (newOff === next && roundup(cur, nextAlign * 8) !== newOff) ||
      (newOff !== next && next - newOff <= newOff - cur)
    ) {
      s += `\n${ind}${padType}: ${inBitfield ? newOff - cur : 0};`;
    }
    cur = newOff;
  }
  while (cur !== next) {
    const left = next - cur;
    const b = Math.min(left, padBits);
    if (b === padBits) {
      s += `\n${ind}${padType}: ${padBits};`;
      cur += b;
      continue;
    }
    // The remainder uses the smallest type that holds it.
    for (let i = pads.length - 1; i >= 0; i--) {
      const [name, pb] = pads[i] as readonly [string, number];
      padType = name;
      padBits = pb;
      if (pb < b) continue;
      s += `\n${ind}${name}: ${b};`;
      cur += b;
      break;
    }
  }
  d.print(s);
}

export function emitStructDef(d: DumpState, id: number, t: BtfComposite, lvl: number): void {
  const isStruct = t.kind === "struct";
  const align = d.layout.alignOf(id);
  const packed = isStruct ? isStructPacked(d, t) : false;
  d.print(t.name !== "" ? `${t.kind} ${d.names.typeName(id)} {` : `${t.kind} {`);
  const ind = pfx(lvl + 1);
  let off = 0;
  let prevBitfield = false;
  for (const m of t.members) {
    const mOff = i32(m.bitOffset);
    const mAlign = packed ? 1 : d.layout.alignOf(m.type);
    const inBitfield = prevBitfield && m.bitfieldSize !== 0;
    emitBitPadding(d, off, mOff, mAlign, inBitfield, lvl + 1);
    d.print(`\n${ind}`);
    emitTypeDecl(d, m.type, m.name, lvl + 1);
    if (m.bitfieldSize !== 0) {
      d.print(`: ${m.bitfieldSize};`);
      off = i32(mOff + m.bitfieldSize);
      prevBitfield = true;
    } else {
      const sz = i32(Math.max(0, d.layout.resolveSize(m.type)));
      off = i32(mOff + i32(Math.imul(sz, 8)));
      prevBitfield = false;
      d.print(";");
    }
  }
  if (isStruct) emitBitPadding(d, off, i32(Math.imul(t.size, 8) >>> 0), align, false, lvl + 1);
  // `struct empty {}` stays on one line.
  if (t.members.length > 0 || t.size !== 0) d.print(`\n${pfx(lvl)}}`);
  else d.print("}");
  if (packed) d.print(" __attribute__((packed))");
}
