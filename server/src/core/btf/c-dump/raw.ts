// The type section as native-order u32 words, as libbpf sees it: the C dumper's hot paths read records directly
// instead of the decoded model (one monomorphic array instead of ~1M objects of a dozen shapes for vmlinux).

import { cString } from "../../bytes.js";
import type { Btf } from "../parse.js";
import { BtfKind, type BtfType } from "../types.js";

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
    const words = typeWords(btf) ?? encodeModel(btf);
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
function typeWords(btf: Btf): { w: Uint32Array; at: Uint32Array } | undefined {
  const h = btf.header;
  const start = btf.strings.byteOffset - h.strOff + h.typeOff;
  if (start < 0 || start + h.typeLen > btf.strings.buffer.byteLength || h.typeLen % 4 !== 0) return undefined;
  const bytes = new Uint8Array(btf.strings.buffer, start, h.typeLen);
  const w = new Uint32Array(VOID_WORDS + h.typeLen / 4);
  new Uint8Array(w.buffer, VOID_WORDS * 4).set(bytes);
  if (btf.order !== nativeOrder()) {
    for (let i = VOID_WORDS; i < w.length; i++) {
      const v = w[i] as number;
      w[i] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
    }
  }
  const n = btf.count;
  const at = new Uint32Array(n);
  const offs = btf.typeOffsets;
  const kinds = btf.kinds;
  for (let id = 1; id < n; id++) {
    const a = VOID_WORDS + (offs[id] as number) / 4;
    if ((((w[a + 1] as number) >>> 24) & 0x1f) !== kinds[id]) return undefined;
    at[id] = a;
  }
  return { w, at };
}

function nativeOrder(): "little" | "big" {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? "little" : "big";
}

/** Fallback: the same words rebuilt from the decoded model. */
function encodeModel(btf: Btf): { w: Uint32Array; at: Uint32Array } {
  const out: number[] = [0, 0, 0, 0];
  const n = btf.count;
  const at = new Uint32Array(n);
  for (let id = 1; id < n; id++) {
    const t = btf.type(id);
    at[id] = out.length;
    encodeType(t, out);
  }
  return { w: Uint32Array.from(out), at };
}

function encodeType(t: BtfType, out: number[]): void {
  const head = (kind: number, vlen: number, sizeOrType: number): void => {
    out.push(t.nameOff, (((t.kflag ? 1 : 0) << 31) | (kind << 24) | vlen) >>> 0, sizeOrType >>> 0);
  };
  switch (t.kind) {
    case "void":
      head(0, 0, 0);
      break;
    case "int":
      head(BtfKind.INT, 0, t.size);
      out.push(((t.encoding << 24) | (t.bitsOffset << 16) | t.nrBits) >>> 0);
      break;
    case "ptr":
    case "const":
    case "volatile":
    case "restrict":
    case "typedef":
    case "type_tag": {
      const k = { ptr: BtfKind.PTR, const: BtfKind.CONST, volatile: BtfKind.VOLATILE, restrict: BtfKind.RESTRICT, typedef: BtfKind.TYPEDEF, type_tag: BtfKind.TYPE_TAG }[t.kind];
      head(k, 0, t.type);
      break;
    }
    case "array":
      head(BtfKind.ARRAY, 0, 0);
      out.push(t.type, t.indexType, t.nelems);
      break;
    case "struct":
    case "union":
      head(t.kind === "struct" ? BtfKind.STRUCT : BtfKind.UNION, t.members.length, t.size);
      for (const m of t.members) out.push(m.nameOff, m.type, t.kflag ? ((m.bitfieldSize << 24) | m.bitOffset) >>> 0 : m.bitOffset);
      break;
    case "enum":
      head(BtfKind.ENUM, t.values.length, t.size);
      for (const v of t.values) out.push(v.nameOff, Number(BigInt.asUintN(32, v.value)));
      break;
    case "enum64":
      head(BtfKind.ENUM64, t.values.length, t.size);
      for (const v of t.values) out.push(v.nameOff, Number(v.value & 0xffffffffn), Number((v.value >> 32n) & 0xffffffffn));
      break;
    case "fwd":
      head(BtfKind.FWD, 0, 0);
      break;
    case "func":
      head(BtfKind.FUNC, t.linkage, t.type);
      break;
    case "func_proto":
      head(BtfKind.FUNC_PROTO, t.params.length, t.returnType);
      for (const p of t.params) out.push(p.nameOff, p.type);
      break;
    case "var":
      head(BtfKind.VAR, 0, t.type);
      out.push(t.linkage);
      break;
    case "datasec":
      head(BtfKind.DATASEC, t.vars.length, t.size);
      for (const v of t.vars) out.push(v.type, v.offset, v.size);
      break;
    case "float":
      head(BtfKind.FLOAT, 0, t.size);
      break;
    case "decl_tag":
      head(BtfKind.DECL_TAG, 0, t.type);
      out.push(t.componentIdx >>> 0);
      break;
    default:
      break;
  }
}
