// C declarators from BTF chains (libbpf btf_dump_emit_type_decl / emit_type_chain): pointers, arrays, function
// pointers, const/volatile/restrict placement and type tags.
//
// The chain from a declaration down to its base type (int, struct, typedef, ...) is pushed on a
// stack, then printed from the base type back up: qualifiers of the base go to its left,
// qualifiers of pointers to the right of the `*`, and arrays and function prototypes wrap the
// rest of the declarator in parentheses.

import { BtfKind } from "../types.js";
import { emitEnumDef, emitEnumFwd, emitFwdDef } from "./emit-enum.js";
import { emitStructDef, emitStructFwd } from "./emit-struct.js";
import { type DumpState, MAX_NESTING, loopError } from "./state.js";

/** A view of one frame of the shared declaration stack: ids [start, start + cnt). */
interface Frame {
  readonly start: number;
  cnt: number;
}

/** libbpf btf_is_mod: the qualifiers and type tags. */
const isMod = (k: number): boolean =>
  k === BtfKind.VOLATILE || k === BtfKind.CONST || k === BtfKind.RESTRICT || k === BtfKind.TYPE_TAG;

let nesting = 0;

/** Prints the declaration of `fname` with type `id` (libbpf btf_dump_emit_type_decl). */
export function emitTypeDecl(d: DumpState, id: number, fname: string, lvl: number): void {
  if (nesting > MAX_NESTING) throw loopError(id, "declarator nesting too deep");
  const stack = d.declStack;
  const start = stack.len;
  const r = d.r;
  // Bound on one chain's length: a pointer/qualifier cycle would otherwise loop forever.
  const maxChain = d.count + 1;
  for (let n = 0; ; n++) {
    if (n > maxChain) {
      stack.len = start;
      throw loopError(id, "cyclic type chain in declaration");
    }
    const k = r.kind(id);
    if (!(d.stripMods && isMod(k))) stack.push(id);
    if (id === 0) break;
    if (k === BtfKind.PTR || k === BtfKind.VOLATILE || k === BtfKind.CONST || k === BtfKind.RESTRICT || k === BtfKind.TYPE_TAG || k === BtfKind.FUNC_PROTO) {
      id = r.sizeOrType(id);
    } else if (k === BtfKind.ARRAY) {
      id = r.target(id);
    } else {
      // int, enum, fwd, struct, union, typedef, float end the chain (and libbpf stops on anything else).
      break;
    }
  }
  nesting++;
  try {
    emitTypeChain(d, { start, cnt: stack.len - start }, fname, lvl);
  } finally {
    nesting--;
    stack.len = start;
  }
}

function topKind(d: DumpState, f: Frame): number {
  return d.r.kind(d.declStack.ids[f.start + f.cnt - 1] as number);
}

/** Prints and pops the const/volatile/restrict that precede a base type. */
function emitMods(d: DumpState, f: Frame): void {
  while (f.cnt > 0) {
    const k = topKind(d, f);
    if (k === BtfKind.VOLATILE) d.print("volatile ");
    else if (k === BtfKind.CONST) d.print("const ");
    else if (k === BtfKind.RESTRICT) d.print("restrict ");
    else return;
    f.cnt--;
  }
}

function dropMods(d: DumpState, f: Frame): void {
  while (f.cnt > 0 && isMod(topKind(d, f))) f.cnt--;
}

function emitName(d: DumpState, name: string, lastWasPtr: boolean): void {
  if (name !== "" && !lastWasPtr) d.print(` ${name}`);
  else d.print(name);
}

/** Anonymous structs/unions being defined inline right now: one that contains itself has no C spelling. */
const inlining = new Set<number>();

function emitInlineStruct(d: DumpState, id: number, lvl: number): void {
  if (inlining.has(id)) throw loopError(id, "anonymous struct/union contains itself");
  inlining.add(id);
  try {
    emitStructDef(d, id, lvl);
  } finally {
    inlining.delete(id);
  }
}

/**
 * The rest of a chain inside an array or function-prototype declarator. Each level is one more
 * JavaScript frame, so it counts against the same MAX_NESTING bound as nested declarations: a
 * chain thousands of arrays deep fails with ELOOP instead of overflowing the stack.
 */
function nestedChain(d: DumpState, f: Frame, fname: string, lvl: number, id: number): void {
  if (nesting >= MAX_NESTING) throw loopError(id, "declarator nesting too deep");
  nesting++;
  try {
    emitTypeChain(d, f, fname, lvl);
  } finally {
    nesting--;
  }
}

function emitTypeChain(d: DumpState, f: Frame, fname: string, lvl: number): void {
  // Pointers are not separated from each other: `int ***`, and a lone pointer before a
  // function prototype prints as `(*name)`.
  let lastWasPtr = true;
  const stack = d.declStack;
  const r = d.r;
  while (f.cnt > 0) {
    const id = stack.ids[f.start + --f.cnt] as number;
    if (id === 0) {
      emitMods(d, f);
      d.print("void");
      lastWasPtr = false;
      continue;
    }
    const kind = r.kind(id);
    switch (kind) {
      case BtfKind.INT:
      case BtfKind.FLOAT:
        emitMods(d, f);
        d.print(r.name(id));
        break;
      case BtfKind.STRUCT:
      case BtfKind.UNION:
        emitMods(d, f);
        // Anonymous structs/unions are defined inline.
        if (r.nameOff(id) === 0) emitInlineStruct(d, id, lvl);
        else emitStructFwd(d, id);
        break;
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
        emitMods(d, f);
        if (r.nameOff(id) === 0) emitEnumDef(d, id, lvl);
        else emitEnumFwd(d, id);
        break;
      case BtfKind.FWD:
        emitMods(d, f);
        emitFwdDef(d, id);
        break;
      case BtfKind.TYPEDEF:
        emitMods(d, f);
        d.print(d.names.identName(id));
        break;
      case BtfKind.PTR:
        d.print(lastWasPtr ? "*" : " *");
        break;
      case BtfKind.VOLATILE:
        d.print(" volatile");
        break;
      case BtfKind.CONST:
        d.print(" const");
        break;
      case BtfKind.RESTRICT:
        d.print(" restrict");
        break;
      case BtfKind.TYPE_TAG:
        emitMods(d, f);
        if (r.kflag(id) && d.profile.typeTagAttribute) d.print(` __attribute__((${r.name(id)}))`);
        else d.print(` __attribute__((btf_type_tag("${r.name(id)}")))`);
        break;
      case BtfKind.ARRAY: {
        const nelems = r.w[r.data(id) + 2] as number;
        // Qualifiers on an array itself (a GCC quirk) are meaningless and dropped.
        dropMods(d, f);
        if (f.cnt === 0) {
          emitName(d, fname, lastWasPtr);
          d.print(`[${nelems}]`);
          return;
        }
        const multidim = topKind(d, f) === BtfKind.ARRAY;
        if (fname !== "" && !lastWasPtr) d.print(" ");
        if (!multidim) d.print("(");
        nestedChain(d, f, fname, lvl, id);
        if (!multidim) d.print(")");
        d.print(`[${nelems}]`);
        return;
      }
      case BtfKind.FUNC_PROTO: {
        // GCC's extra volatile on noreturn function pointers is dropped too.
        dropMods(d, f);
        if (f.cnt > 0) {
          d.print(" (");
          nestedChain(d, f, fname, lvl, id);
          d.print(")");
        } else {
          emitName(d, fname, lastWasPtr);
        }
        const w = r.w;
        const base = r.data(id);
        const vlen = r.vlen(id);
        // No parameters, or clang's single void parameter: `(void)`.
        if (vlen === 0 || (vlen === 1 && w[base + 1] === 0)) {
          d.print("(void)");
          return;
        }
        d.print("(");
        for (let i = 0; i < vlen; i++) {
          const pType = w[base + 2 * i + 1] as number;
          if (i > 0) d.print(", ");
          // A trailing void parameter means varargs.
          if (i === vlen - 1 && pType === 0) {
            d.print("...");
            break;
          }
          emitTypeDecl(d, pType, r.str(w[base + 2 * i] as number), lvl);
        }
        d.print(")");
        return;
      }
      default:
        // libbpf warns "unexpected type in decl chain" and stops.
        return;
    }
    lastWasPtr = kind === BtfKind.PTR;
  }
  emitName(d, fname, lastWasPtr);
}
