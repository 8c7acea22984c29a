// C spellings, sizes and alignments of BTF types for hovers and views, from the core C dumper and libbpf-style queries.

import { CDumper } from "../../core/btf/c-dump/index.js";
import type { Btf } from "../../core/btf/parse.js";
import type { BtfType } from "../../core/btf/types.js";
import { alignOf as coreAlignOf, resolveSize, skipModsAndTypedefs, typeAt } from "../../core/object/btf-util.js";
import type { Profile } from "../../core/profile.js";

export { typeAt };

export class CTypes {
  private dumper: CDumper | undefined;

  constructor(
    readonly btf: Btf,
    readonly profile: Profile,
  ) {}

  /** Runs a C dumper call; a comment saying why when the dumper refuses the type (a cycle C cannot express, say). */
  private viaDumper(f: (d: CDumper) => string, id: number): string {
    try {
      this.dumper ??= new CDumper(this.btf, { profile: this.profile });
      return f(this.dumper);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return `/* type [${id}] cannot be printed as C: ${why.replace(/\*\//g, "* /")} */`;
    }
  }

  /** Creates the C dumper now (it indexes the whole BTF), so the first hover does not pay for it. */
  warm(): void {
    this.viaDumper((d) => d.typeName(0), 0);
  }

  /** `const volatile int my_pid`, `struct event *e`; the type alone when `name` is "". */
  decl(id: number, name = "", stripMods = false): string {
    return this.viaDumper((d) => d.emitTypeDecl(id, { fieldName: name, indent: 0, stripMods }), id);
  }

  /** One type's definition as `btf dump format c` prints it. */
  definition(id: number): string {
    return this.viaDumper((d) => d.typeDefinition(id), id);
  }
}

/** Skips typedefs and modifiers (not pointers), as libbpf's skip_mods_and_typedefs. */
export function resolve(btf: Btf, id: number): BtfType | undefined {
  return skipModsAndTypedefs(btf, id).type;
}

/** btf__resolve_size: byte size of a type, or undefined for void/functions or a broken chain. */
export function sizeOf(btf: Btf, id: number): number | undefined {
  const size = resolveSize(btf, id);
  return size < 0 ? undefined : size;
}

/** btf__align_of: natural alignment (1 for packed structs), or undefined when unknown. */
export function alignOf(btf: Btf, id: number): number | undefined {
  const align = coreAlignOf(btf, id);
  return align <= 0 ? undefined : align;
}
