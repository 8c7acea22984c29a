// C declarators from BTF chains (libbpf btf_dump_emit_type_decl / emit_type_chain): pointers, arrays, function
// pointers, const/volatile/restrict placement and type tags.
//
// The chain from a declaration down to its base type (int, struct, typedef, ...) is pushed on a
// stack, then printed from the base type back up: qualifiers of the base go to its left,
// qualifiers of pointers to the right of the `*`, and arrays and function prototypes wrap the
// rest of the declarator in parentheses.

import type { BtfType } from "../types.js";
import { emitEnumDef, emitEnumFwd, emitFwdDef } from "./emit-enum.js";
import { emitStructDef, emitStructFwd } from "./emit-struct.js";
import { type DumpState, MAX_NESTING, loopError } from "./state.js";

/** A view of one frame of the shared declaration stack: ids [start, start + cnt). */
interface Frame {
  readonly start: number;
  cnt: number;
}

const isMod = (t: BtfType): boolean =>
  t.kind === "volatile" || t.kind === "const" || t.kind === "restrict" || t.kind === "type_tag";

let nesting = 0;

/** Prints the declaration of `fname` with type `id` (libbpf btf_dump_emit_type_decl). */
export function emitTypeDecl(d: DumpState, id: number, fname: string, lvl: number): void {
  if (nesting > MAX_NESTING) throw loopError(id, "declarator nesting too deep");
  const stack = d.declStack;
  const start = stack.length;
  // Bound on one chain's length: a pointer/qualifier cycle would otherwise loop forever.
  const maxChain = d.types.length + 1;
  for (let n = 0; ; n++) {
    if (n > maxChain) {
      stack.length = start;
      throw loopError(id, "cyclic type chain in declaration");
    }
    const t = d.type(id);
    if (!(d.stripMods && isMod(t))) stack.push(id);
    if (id === 0) break;
    let next = -1;
    switch (t.kind) {
      case "ptr":
      case "volatile":
      case "const":
      case "restrict":
      case "type_tag":
      case "array":
        next = t.type;
        break;
      case "func_proto":
        next = t.returnType;
        break;
      default:
        // int, enum, fwd, struct, union, typedef, float end the chain (and libbpf stops on anything else).
        break;
    }
    if (next < 0) break;
    id = next;
  }
  nesting++;
  try {
    emitTypeChain(d, { start, cnt: stack.length - start }, fname, lvl);
  } finally {
    nesting--;
    stack.length = start;
  }
}

function top(d: DumpState, f: Frame): BtfType {
  return d.type(d.declStack[f.start + f.cnt - 1] as number);
}

/** Prints and pops the const/volatile/restrict that precede a base type. */
function emitMods(d: DumpState, f: Frame): void {
  while (f.cnt > 0) {
    const k = top(d, f).kind;
    if (k === "volatile") d.print("volatile ");
    else if (k === "const") d.print("const ");
    else if (k === "restrict") d.print("restrict ");
    else return;
    f.cnt--;
  }
}

function dropMods(d: DumpState, f: Frame): void {
  while (f.cnt > 0 && isMod(top(d, f))) f.cnt--;
}

function emitName(d: DumpState, name: string, lastWasPtr: boolean): void {
  if (name !== "" && !lastWasPtr) d.print(` ${name}`);
  else d.print(name);
}

function emitTypeChain(d: DumpState, f: Frame, fname: string, lvl: number): void {
  // Pointers are not separated from each other: `int ***`, and a lone pointer before a
  // function prototype prints as `(*name)`.
  let lastWasPtr = true;
  const stack = d.declStack;
  while (f.cnt > 0) {
    const id = stack[f.start + --f.cnt] as number;
    if (id === 0) {
      emitMods(d, f);
      d.print("void");
      lastWasPtr = false;
      continue;
    }
    const t = d.type(id);
    switch (t.kind) {
      case "int":
      case "float":
        emitMods(d, f);
        d.print(t.name);
        break;
      case "struct":
      case "union":
        emitMods(d, f);
        // Anonymous structs/unions are defined inline.
        if (t.name === "") emitStructDef(d, id, t, lvl);
        else emitStructFwd(d, id, t);
        break;
      case "enum":
      case "enum64":
        emitMods(d, f);
        if (t.name === "") emitEnumDef(d, id, t, lvl);
        else emitEnumFwd(d, id);
        break;
      case "fwd":
        emitMods(d, f);
        emitFwdDef(d, id, t);
        break;
      case "typedef":
        emitMods(d, f);
        d.print(d.names.identName(id));
        break;
      case "ptr":
        d.print(lastWasPtr ? "*" : " *");
        break;
      case "volatile":
        d.print(" volatile");
        break;
      case "const":
        d.print(" const");
        break;
      case "restrict":
        d.print(" restrict");
        break;
      case "type_tag":
        emitMods(d, f);
        if (t.kflag && d.profile.typeTagAttribute) d.print(` __attribute__((${t.name}))`);
        else d.print(` __attribute__((btf_type_tag("${t.name}")))`);
        break;
      case "array": {
        // Qualifiers on an array itself (a GCC quirk) are meaningless and dropped.
        dropMods(d, f);
        if (f.cnt === 0) {
          emitName(d, fname, lastWasPtr);
          d.print(`[${t.nelems}]`);
          return;
        }
        const multidim = top(d, f).kind === "array";
        if (fname !== "" && !lastWasPtr) d.print(" ");
        if (!multidim) d.print("(");
        emitTypeChain(d, f, fname, lvl);
        if (!multidim) d.print(")");
        d.print(`[${t.nelems}]`);
        return;
      }
      case "func_proto": {
        // GCC's extra volatile on noreturn function pointers is dropped too.
        dropMods(d, f);
        if (f.cnt > 0) {
          d.print(" (");
          emitTypeChain(d, f, fname, lvl);
          d.print(")");
        } else {
          emitName(d, fname, lastWasPtr);
        }
        const params = t.params;
        // No parameters, or clang's single void parameter: `(void)`.
        if (params.length === 0 || (params.length === 1 && params[0]?.type === 0)) {
          d.print("(void)");
          return;
        }
        d.print("(");
        for (let i = 0; i < params.length; i++) {
          const p = params[i] as (typeof params)[number];
          if (i > 0) d.print(", ");
          // A trailing void parameter means varargs.
          if (i === params.length - 1 && p.type === 0) {
            d.print("...");
            break;
          }
          emitTypeDecl(d, p.type, p.name, lvl);
        }
        d.print(")");
        return;
      }
      default:
        // libbpf warns "unexpected type in decl chain" and stops.
        return;
    }
    lastWasPtr = t.kind === "ptr";
  }
  emitName(d, fname, lastWasPtr);
}
