// Public API of the C type dumper (`btf dump ... format c`): dumpC for whole files, CDumper for single declarations.

import type { Btf } from "../parse.js";
import type { Profile } from "../../profile.js";
import { emitTypeDecl } from "./declarators.js";
import { dumpAll } from "./dump-all.js";
import { emitEnumDef, emitFwdDef, emitTypedefDef } from "./emit-enum.js";
import { emitStructDef } from "./emit-struct.js";
import { DumpState } from "./state.js";

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
    const t = this.d.type(id);
    switch (t.kind) {
      case "struct":
      case "union":
      case "enum":
      case "enum64":
      case "fwd":
        return this.d.names.typeName(id);
      case "typedef":
        return this.d.names.identName(id);
      case "int":
      case "float":
        return t.name;
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
    return this.capture(() => {
      this.d.stripMods = opts.stripMods ?? false;
      try {
        emitTypeDecl(this.d, id, opts.fieldName ?? "", opts.indent ?? 0);
      } finally {
        this.d.stripMods = false;
      }
    });
  }

  /** One type's definition as `format c` prints it (struct/union/enum/typedef/fwd/func proto), for editor hovers. */
  typeDefinition(id: number): string {
    const d = this.d;
    const t = d.type(id);
    return this.capture(() => {
      switch (t.kind) {
        case "struct":
        case "union":
          emitStructDef(d, id, t, 0);
          break;
        case "enum":
        case "enum64":
          emitEnumDef(d, id, t, 0);
          break;
        case "typedef":
          emitTypedefDef(d, id, t, 0);
          break;
        case "fwd":
          emitFwdDef(d, id, t);
          break;
        case "func":
          emitTypeDecl(d, t.type, t.name, 0);
          break;
        default:
          emitTypeDecl(d, id, "", 0);
          break;
      }
      d.print(";");
    });
  }

  private capture(fn: () => void): string {
    const saved = this.d.buf;
    this.d.buf = "";
    try {
      fn();
      return this.d.buf;
    } finally {
      this.d.buf = saved;
    }
  }
}
