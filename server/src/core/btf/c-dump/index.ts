// Public API of the C type dumper (`btf dump ... format c`): dumpC for whole files, CDumper for single declarations.

import type { Btf } from "../parse.js";
import type { Profile } from "../../profile.js";
import { BtfLensError, ERRNO } from "../../errors.js";
import { emitTypeDecl } from "./declarators.js";
import { dumpAll } from "./dump-all.js";
import { emitEnumDef, emitFwdDef, emitTypedefDef } from "./emit-enum.js";
import { emitStructDef } from "./emit-struct.js";
import { DumpState } from "./state.js";
import { BtfKind } from "../types.js";
import { decodeLossless } from "../../text/lossless-utf8.js";

export interface CDumpOptions {
  readonly profile: Profile;
  /** Sort types like bpftool 7.7 (default: profile.sortedCDump). */
  readonly sorted?: boolean;
}

/**
 * Writes the whole `format c` output of `btf` to `sink`, in chunks. Throws BtfLensError
 * (errno ELOOP) on type cycles that C cannot express, as libbpf does.
 */
export function dumpC(btf: Btf, options: CDumpOptions, sink: (s: string) => void): void {
  // Chunks end between types, never inside a character.
  dumpCBytes(btf, options, (chunk) => sink(decodeLossless(chunk)));
}

/** dumpC as UTF-8 bytes (what a file or stdout wants: no decoding and re-encoding of megabytes of text). */
export function dumpCBytes(btf: Btf, options: CDumpOptions, sink: (chunk: Uint8Array) => void): void {
  const d = new DumpState(btf, options.profile);
  dumpAll(d, options.sorted ?? options.profile.sortedCDump, sink);
}

/** One btf_dump instance: naming state (___N suffixes) persists across calls, like libbpf. */
export class CDumper {
  private readonly d: DumpState;

  constructor(btf: Btf, options: { readonly profile: Profile }) {
    this.d = new DumpState(btf, options.profile);
  }

  /**
   * Name as the dump would print it (after de-duplication); "" if anonymous. Like libbpf, a
   * name is fixed the first time it is resolved, so call order decides who gets `___2`.
   */
  typeName(id: number): string {
    const d = this.d;
    d.checkId(id);
    switch (d.r.kind(id)) {
      case BtfKind.STRUCT:
      case BtfKind.UNION:
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
      case BtfKind.FWD:
        return d.names.typeName(id);
      case BtfKind.TYPEDEF:
        return d.names.identName(id);
      case BtfKind.INT:
      case BtfKind.FLOAT:
        return d.r.name(id);
      default:
        return "";
    }
  }

  /**
   * btf_dump__emit_type_decl: `fieldName` with its full C declarator (anonymous structs/enums
   * inline); indent = tab levels used inside inline definitions; stripMods drops
   * const/volatile/restrict/type tags like bpftool's skeleton.
   */
  emitTypeDecl(id: number, opts: { fieldName?: string; indent?: number; stripMods?: boolean } = {}): string {
    this.d.checkId(id);
    return this.capture(() => {
      this.d.stripMods = opts.stripMods ?? false;
      try {
        emitTypeDecl(this.d, id, opts.fieldName ?? "", opts.indent ?? 0);
      } finally {
        this.d.stripMods = false;
      }
    });
  }

  /**
   * One type's definition as `format c` prints it (struct/union/enum/typedef/fwd/func proto), for
   * editor hovers. Unlike libbpf, repeating it is idempotent: enumerators keep the names they got
   * the first time they were printed instead of being counted again (`A___2`, `A___3`, ...).
   */
  typeDefinition(id: number): string {
    const d = this.d;
    d.checkId(id);
    const r = d.r;
    return this.capture(() => {
      d.names.replayEnumerators = true;
      switch (r.kind(id)) {
        case BtfKind.STRUCT:
        case BtfKind.UNION:
          emitStructDef(d, id, 0);
          break;
        case BtfKind.ENUM:
        case BtfKind.ENUM64:
          emitEnumDef(d, id, 0);
          break;
        case BtfKind.TYPEDEF:
          emitTypedefDef(d, id, 0);
          break;
        case BtfKind.FWD:
          emitFwdDef(d, id);
          break;
        case BtfKind.FUNC:
          emitTypeDecl(d, r.sizeOrType(id), r.name(id), 0);
          break;
        default:
          emitTypeDecl(d, id, "", 0);
          break;
      }
      d.print(";");
    });
  }

  private capture(fn: () => void): string {
    const out = this.d.out;
    const from = out.pos;
    try {
      fn();
      return out.text(from);
    } catch (e) {
      // Safety net: the walks are bounded (MAX_NESTING, cycle marks), but a deep enough legal nesting
      // could still exhaust the JavaScript stack before the bound; report it as libbpf's ELOOP.
      if (e instanceof RangeError) throw new BtfLensError("malformed", `type nesting too deep to print: ${e.message}`, { errno: ERRNO.ELOOP });
      throw e;
    } finally {
      out.pos = from;
      this.d.names.replayEnumerators = false;
    }
  }
}
