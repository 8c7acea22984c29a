// Emission of one ordered type with the forward declarations it needs (libbpf btf_dump_emit_type).
//
// `contId` is the struct/union being defined around us (0 at top level), so a struct that
// refers to itself needs no forward declaration.

import { BtfKind } from "../types.js";
import { emitEnumDef, emitFwdDef, emitMissingAliases, emitTypedefDef, isBlacklisted } from "./emit-enum.js";
import { emitStructDef, emitStructFwd } from "./emit-struct.js";
import { type DumpState, EMITTED, EMITTING, MAX_NESTING, NOT_EMITTED, loopError } from "./state.js";

export function emitType(d: DumpState, id: number, contId: number, depth = 0): void {
  if (depth > MAX_NESTING) throw loopError(id, "type chain too deep or cyclic");
  const es = d.emitState;
  if (es[id] === EMITTED) return;
  const r = d.r;
  const kind = r.kind(id);
  const named = r.nameOff(id) !== 0;
  const topLevel = contId === 0;

  if (es[id] === EMITTING) {
    if (d.fwdEmitted[id] === 1) return;
    if (kind === BtfKind.STRUCT || kind === BtfKind.UNION) {
      // Referring to the struct we are part of needs no forward declaration.
      if (id === contId) return;
      // libbpf warns "anonymous struct/union loop" and goes on.
      if (!named) return;
      emitStructFwd(d, id);
      d.print(";\n\n");
      d.fwdEmitted[id] = 1;
    } else if (kind === BtfKind.TYPEDEF) {
      // The typedef is usable through pointers only, not for embedding.
      if (!isBlacklisted(d, id)) {
        emitTypedefDef(d, id, 0);
        d.print(";\n\n");
      }
      d.fwdEmitted[id] = 1;
    }
    return;
  }

  switch (kind) {
    case BtfKind.INT:
      emitMissingAliases(d, id);
      es[id] = EMITTED;
      break;
    case BtfKind.ENUM:
    case BtfKind.ENUM64:
      if (topLevel) {
        emitEnumDef(d, id, 0);
        d.print(";\n\n");
      }
      es[id] = EMITTED;
      break;
    case BtfKind.PTR:
    case BtfKind.VOLATILE:
    case BtfKind.CONST:
    case BtfKind.RESTRICT:
    case BtfKind.TYPE_TAG:
    case BtfKind.ARRAY:
      emitType(d, r.target(id), contId, depth + 1);
      break;
    case BtfKind.FWD:
      emitFwdDef(d, id);
      d.print(";\n\n");
      es[id] = EMITTED;
      break;
    case BtfKind.TYPEDEF:
      es[id] = EMITTING;
      emitType(d, r.sizeOrType(id), id, depth + 1);
      // Someone may already have needed the typedef through a pointer (emitted above as a "forward").
      if (d.fwdEmitted[id] === 0 && !isBlacklisted(d, id)) {
        emitTypedefDef(d, id, 0);
        d.print(";\n\n");
      }
      es[id] = EMITTED;
      break;
    case BtfKind.STRUCT:
    case BtfKind.UNION:
      es[id] = EMITTING;
      // A definition (top level or inline anonymous) prints every member, so their types
      // need forward declarations first.
      if (topLevel || !named) {
        const inner = named ? id : contId;
        const w = r.w;
        const base = r.data(id);
        const vlen = r.vlen(id);
        for (let i = 0; i < vlen; i++) emitType(d, w[base + 3 * i + 1] as number, inner, depth + 1);
      } else if (d.fwdEmitted[id] === 0 && id !== contId) {
        emitStructFwd(d, id);
        d.print(";\n\n");
        d.fwdEmitted[id] = 1;
      }
      if (topLevel) {
        emitStructDef(d, id, 0);
        d.print(";\n\n");
        es[id] = EMITTED;
      } else {
        es[id] = NOT_EMITTED;
      }
      break;
    case BtfKind.FUNC_PROTO: {
      emitType(d, r.sizeOrType(id), contId, depth + 1);
      const w = r.w;
      const base = r.data(id);
      const vlen = r.vlen(id);
      for (let i = 0; i < vlen; i++) emitType(d, w[base + 2 * i + 1] as number, contId, depth + 1);
      break;
    }
    default:
      break;
  }
}
