// Public API of the C type dumper (`btf dump ... format c`): dumpC for whole files, CDumper for single declarations.

import type { Btf } from "../parse.js";
import type { Profile } from "../../profile.js";
import { unsupported } from "../../errors.js";

export interface CDumpOptions {
  readonly profile: Profile;
  /** Sort types like bpftool 7.7 (default: profile.sortedCDump). */
  readonly sorted?: boolean;
}

/** Writes the whole `format c` output of `btf` to `sink`. */
export function dumpC(_btf: Btf, _options: CDumpOptions, _sink: (s: string) => void): void {
  throw unsupported("format c: not implemented yet");
}

/** One btf_dump instance: naming state (___N suffixes) persists across calls, like libbpf. */
export class CDumper {
  constructor(
    readonly btf: Btf,
    readonly options: { readonly profile: Profile },
  ) {}

  /** Name as the dump would print it (after de-duplication); "" if anonymous. */
  typeName(_id: number): string {
    throw unsupported("format c: not implemented yet");
  }

  /** btf_dump__emit_type_decl: `fieldName` with its full C declarator; indent = tab levels; stripMods drops const/volatile/restrict. */
  emitTypeDecl(_id: number, _opts?: { fieldName?: string; indent?: number; stripMods?: boolean }): string {
    throw unsupported("format c: not implemented yet");
  }

  /** One type's definition as `format c` prints it (struct/union/enum/typedef/fwd/func proto), for editor hovers. */
  typeDefinition(_id: number): string {
    throw unsupported("format c: not implemented yet");
  }
}
