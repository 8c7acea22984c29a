// Emission of one ordered type with the forward declarations it needs (libbpf btf_dump_emit_type).
//
// `contId` is the struct/union being defined around us (0 at top level), so a struct that
// refers to itself needs no forward declaration.

import { emitEnumDef, emitFwdDef, emitMissingAliases, emitTypedefDef, isBlacklisted } from "./emit-enum.js";
import { emitStructDef, emitStructFwd } from "./emit-struct.js";
import { type DumpState, EMITTED, EMITTING, MAX_NESTING, NOT_EMITTED, loopError } from "./state.js";

export function emitType(d: DumpState, id: number, contId: number, depth = 0): void {
  if (depth > MAX_NESTING) throw loopError(id, "type chain too deep or cyclic");
  const es = d.emitState;
  if (es[id] === EMITTED) return;
  const t = d.type(id);
  const topLevel = contId === 0;

  if (es[id] === EMITTING) {
    if (d.fwdEmitted[id] === 1) return;
    if (t.kind === "struct" || t.kind === "union") {
      // Referring to the struct we are part of needs no forward declaration.
      if (id === contId) return;
      // libbpf warns "anonymous struct/union loop" and goes on.
      if (t.name === "") return;
      emitStructFwd(d, id, t);
      d.print(";\n\n");
      d.fwdEmitted[id] = 1;
    } else if (t.kind === "typedef") {
      // The typedef is usable through pointers only, not for embedding.
      if (!isBlacklisted(t)) {
        emitTypedefDef(d, id, t, 0);
        d.print(";\n\n");
      }
      d.fwdEmitted[id] = 1;
    }
    return;
  }

  switch (t.kind) {
    case "int":
      emitMissingAliases(d, id);
      es[id] = EMITTED;
      break;
    case "enum":
    case "enum64":
      if (topLevel) {
        emitEnumDef(d, id, t, 0);
        d.print(";\n\n");
      }
      es[id] = EMITTED;
      break;
    case "ptr":
    case "volatile":
    case "const":
    case "restrict":
    case "type_tag":
    case "array":
      emitType(d, t.type, contId, depth + 1);
      break;
    case "fwd":
      emitFwdDef(d, id, t);
      d.print(";\n\n");
      es[id] = EMITTED;
      break;
    case "typedef":
      es[id] = EMITTING;
      emitType(d, t.type, id, depth + 1);
      // Someone may already have needed the typedef through a pointer (emitted above as a "forward").
      if (d.fwdEmitted[id] === 0 && !isBlacklisted(t)) {
        emitTypedefDef(d, id, t, 0);
        d.print(";\n\n");
      }
      es[id] = EMITTED;
      break;
    case "struct":
    case "union":
      es[id] = EMITTING;
      // A definition (top level or inline anonymous) prints every member, so their types
      // need forward declarations first.
      if (topLevel || t.name === "") {
        const inner = t.name === "" ? contId : id;
        for (const m of t.members) emitType(d, m.type, inner, depth + 1);
      } else if (d.fwdEmitted[id] === 0 && id !== contId) {
        emitStructFwd(d, id, t);
        d.print(";\n\n");
        d.fwdEmitted[id] = 1;
      }
      if (topLevel) {
        emitStructDef(d, id, t, 0);
        d.print(";\n\n");
        es[id] = EMITTED;
      } else {
        es[id] = NOT_EMITTED;
      }
      break;
    case "func_proto":
      emitType(d, t.returnType, contId, depth + 1);
      for (const p of t.params) emitType(d, p.type, contId, depth + 1);
      break;
    default:
      break;
  }
}
