// The type section as native-order u32 words, as libbpf sees it: the C dumper's hot paths read records directly
// instead of the decoded model (one monomorphic array instead of ~1M objects of a dozen shapes for vmlinux).

import type { Btf } from "../parse.js";
import type { StringTable } from "../strings.js";
import { BtfKind } from "../types.js";

/**
 * Record layout (word offsets from `at[id]`): 0 name_off, 1 info, 2 size/type, then per kind:
 * INT +3 encoding; ARRAY +3 type, +4 index_type, +5 nelems; STRUCT/UNION 3 words per member
 * (name, type, offset); ENUM 2 per value (name, val); ENUM64 3 (name, lo, hi); FUNC_PROTO 2 per
 * param (name, type); VAR +3 linkage; DATASEC 3 per var; DECL_TAG +3 component_idx.
 */
export class RawTypes {
  readonly count: number;
  readonly kinds: Uint8Array;
  readonly w: Uint32Array;
  readonly at: Uint32Array;
  readonly strings: Uint8Array;
  private readonly strs: StringTable;
  /** The string section as one string when it is pure ASCII: names are slices of it (the hot case). */
  private readonly ascii: string | undefined;

  /** Shares the parser's native-order words (void is the zeroed record at word 0) and string table. */
  constructor(btf: Btf) {
    this.count = btf.count;
    this.kinds = btf.kinds;
    this.strings = btf.strings;
    this.strs = btf.strs;
    this.ascii = btf.strs.asciiText();
    this.w = btf.words;
    this.at = btf.wordAt;
  }

  kind(id: number): number {
    return this.kinds[id] as number;
  }
  nameOff(id: number): number {
    return this.w[this.at[id] as number] as number;
  }
  vlen(id: number): number {
    return (this.w[(this.at[id] as number) + 1] as number) & 0xffff;
  }
  kflag(id: number): boolean {
    return (this.w[(this.at[id] as number) + 1] as number) >>> 31 === 1;
  }
  /** The size (INT, STRUCT, UNION, ENUM, ENUM64, FLOAT, DATASEC) or the referenced type (the rest). */
  sizeOrType(id: number): number {
    return this.w[(this.at[id] as number) + 2] as number;
  }
  /** Word index of the first vlen entry (or of the kind-specific data). */
  data(id: number): number {
    return (this.at[id] as number) + 3;
  }
  /** The type an ARRAY's elements have, or what a PTR/modifier/TYPEDEF/FUNC/VAR refers to. */
  target(id: number): number {
    const at = this.at[id] as number;
    return this.kinds[id] === BtfKind.ARRAY ? (this.w[at + 3] as number) : (this.w[at + 2] as number);
  }
  name(id: number): string {
    return this.str(this.w[this.at[id] as number] as number);
  }
  str(off: number): string {
    if (off === 0 || off >= this.strings.length) return "";
    const all = this.ascii;
    return all !== undefined ? all.slice(off, all.indexOf("\0", off)) : this.strs.get(off);
  }
}
