// Struct and union definitions: members, bitfields, packed detection and `long: N` padding (libbpf btf_dump).

import { BtfLensError, ERRNO } from "../../errors.js";
import { BtfKind } from "../types.js";
import { emitTypeDecl } from "./declarators.js";
import { pfx } from "./emit-enum.js";
import type { DumpState } from "./state.js";

export function emitStructFwd(d: DumpState, id: number): void {
  const kw = d.r.kind(id) === BtfKind.STRUCT ? "struct" : "union";
  d.print(d.r.nameOff(id) !== 0 ? `${kw} ${d.names.typeName(id)}` : kw);
}

/** A struct is packed when a non-bitfield member is misaligned or its size is not a multiple of its alignment. */
function isStructPacked(d: DumpState, id: number): boolean {
  const r = d.r;
  const w = r.w;
  const kflag = r.kflag(id);
  const base = r.data(id);
  const vlen = r.vlen(id);
  let maxAlign = 1;
  for (let i = 0; i < vlen; i++) {
    const align = d.layout.alignOf(w[base + 3 * i + 1] as number);
    const off = w[base + 3 * i + 2] as number;
    const bitfield = kflag ? off >>> 24 : 0;
    const bitOff = kflag ? off & 0xffffff : off;
    if (align && bitfield === 0 && bitOff % (8 * align) !== 0) return true;
    maxAlign = Math.max(align, maxAlign);
  }
  return r.sizeOrType(id) % maxAlign !== 0;
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
function emitBitPadding(d: DumpState, id: number, cur: number, next: number, nextAlign: number, inBitfield: boolean, lvl: number): void {
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
    if (!inBitfield && newOff === next && nextAlign === 0) throw divisionByZero(id);
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

/**
 * libbpf rounds up to the next member's alignment, or the struct's at the end, and that is 0 for a type it cannot
 * align (a member that is a function, say): bpftool dies of SIGFPE there. Its C dump fails, so ours does too.
 */
function divisionByZero(id: number): BtfLensError {
  return new BtfLensError("unsupported", `type [${id}]: padding up to an alignment of 0 (libbpf divides by zero here: bpftool dies of SIGFPE)`, {
    errno: ERRNO.BPFTOOL_SIGFPE,
  });
}

export function emitStructDef(d: DumpState, id: number, lvl: number): void {
  const r = d.r;
  const w = r.w;
  const isStruct = r.kind(id) === BtfKind.STRUCT;
  const kw = isStruct ? "struct" : "union";
  const align = d.layout.alignOf(id);
  const packed = isStruct ? isStructPacked(d, id) : false;
  d.print(r.nameOff(id) !== 0 ? `${kw} ${d.names.typeName(id)} {` : `${kw} {`);
  const ind = `\n${pfx(lvl + 1)}`;
  const kflag = r.kflag(id);
  const base = r.data(id);
  const vlen = r.vlen(id);
  let off = 0;
  let prevBitfield = false;
  for (let i = 0; i < vlen; i++) {
    const at = base + 3 * i;
    const mType = w[at + 1] as number;
    const rawOff = w[at + 2] as number;
    const mSz = kflag ? rawOff >>> 24 : 0;
    const mOff = i32(kflag ? rawOff & 0xffffff : rawOff);
    const mAlign = packed ? 1 : d.layout.alignOf(mType);
    if (off < mOff) emitBitPadding(d, id, off, mOff, mAlign, prevBitfield && mSz !== 0, lvl + 1);
    d.print(ind);
    emitTypeDecl(d, mType, r.str(w[at] as number), lvl + 1);
    if (mSz !== 0) {
      d.print(`: ${mSz};`);
      off = i32(mOff + mSz);
      prevBitfield = true;
    } else {
      const sz = i32(Math.max(0, d.layout.resolveSize(mType)));
      off = i32(mOff + Math.imul(sz, 8));
      prevBitfield = false;
      d.print(";");
    }
  }
  if (isStruct) emitBitPadding(d, id, off, i32(Math.imul(r.sizeOrType(id), 8)), align, false, lvl + 1);
  // `struct empty {}` stays on one line.
  if (vlen > 0 || r.sizeOrType(id) !== 0) d.print(`\n${pfx(lvl)}}`);
  else d.print("}");
  if (packed) d.print(" __attribute__((packed))");
}
