// The type section as native-order u32 words, as libbpf sees it: the C dumper's hot paths read records directly
// instead of the decoded model (one monomorphic array instead of ~1M objects of a dozen shapes for vmlinux).

import { cString } from "../../bytes.js";
import type { Btf } from "../parse.js";
import { BtfKind } from "../types.js";

/** Words before the first record: a zeroed record that stands for void (id 0). */
const VOID_WORDS = 4;

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
  private readonly strCache = new Map<number, string>();
  private readonly ascii: string | undefined;

  constructor(btf: Btf) {
    this.count = btf.count;
    this.kinds = btf.kinds;
    this.strings = btf.strings;
    const words = typeWords(btf);
    this.w = words.w;
    this.at = words.at;
    this.ascii = asciiTable(btf.strings);
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
    if (off === 0) return "";
    const all = this.ascii;
    if (all !== undefined) return all.slice(off, all.indexOf("\0", off));
    let s = this.strCache.get(off);
    if (s === undefined) {
      s = off < this.strings.length ? cString(this.strings, off) : "";
      this.strCache.set(off, s);
    }
    return s;
  }
}

/** The whole string section as one string when it is pure ASCII (then names are cheap slices of it). */
function asciiTable(strings: Uint8Array): string | undefined {
  for (let i = 0; i < strings.length; i++) if ((strings[i] as number) >= 0x80) return undefined;
  return new TextDecoder().decode(strings);
}

/**
 * Copies the raw type section. The parser does not expose it, but the string section is a
 * view into the same blob, so the type section sits at `strings - str_off + type_off`. Every
 * record's kind is checked against the parser's index; on any doubt we re-encode the model.
 */
function typeWords(btf: Btf): { w: Uint32Array; at: Uint32Array } {
  const bytes = btf.typeSection;
  // Every record is a whole number of u32 words, so the section is too (the parser checked the sizes).
  const w = new Uint32Array(VOID_WORDS + (bytes.length >>> 2));
  new Uint8Array(w.buffer, VOID_WORDS * 4, bytes.length & ~3).set(bytes.subarray(0, bytes.length & ~3));
  if (btf.order !== nativeOrder()) {
    for (let i = VOID_WORDS; i < w.length; i++) {
      const v = w[i] as number;
      w[i] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
    }
  }
  const n = btf.count;
  const at = new Uint32Array(n);
  const offs = btf.typeOffsets;
  for (let id = 1; id < n; id++) at[id] = VOID_WORDS + (offs[id] as number) / 4;
  return { w, at };
}

function nativeOrder(): "little" | "big" {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? "little" : "big";
}
