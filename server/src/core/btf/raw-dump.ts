// `bpftool btf dump ... format raw`: one line per type plus one per member/value/param, as bpftool prints them.

import type { Btf } from "./parse.js";
import type { StringTable } from "./strings.js";
import { BtfKind, KIND_NAMES } from "./types.js";

/** Receives output text in pieces. */
export type Sink = (chunk: string) => void;

const INT_ENCODING: Record<number, string> = { 0: "(none)", 1: "SIGNED", 2: "CHAR", 4: "BOOL" };
const LINKAGE = ["static", "global", "extern"];

/**
 * Formats straight from the type words (Btf.words), without decoding types into objects. Each
 * kind has its own small function, called through a table: the JIT optimises each one on its
 * own as soon as it is hot, and a kind first seen late in a big BTF does not throw away the
 * optimised code of the whole loop (which it did when every kind was a case of one switch).
 */
class RawFormatter {
  readonly w: Uint32Array;
  readonly wordAt: Uint32Array;
  readonly kinds: Uint8Array;
  readonly strs: StringTable;
  readonly count: number;

  constructor(btf: Btf) {
    this.w = btf.words;
    this.wordAt = btf.wordAt;
    this.kinds = btf.kinds;
    this.strs = btf.strs;
    this.count = btf.count;
  }

  /** A name as bpftool quotes it: '(anon)' for none; '(invalid)' past the string section (lenient parsing only). */
  quoted(off: number): string {
    if (off === 0) return "'(anon)'";
    return off < this.strs.length ? `'${this.strs.get(off)}'` : "'(invalid)'";
  }

  /** "[id] KIND 'name'" */
  head(id: number, at: number): string {
    return `[${id}] ${KIND_NAMES[this.kinds[id] as number]} ${this.quoted(this.w[at] as number)}`;
  }
}

type Format = (f: RawFormatter, id: number, at: number) => string;

const vlenOf = (f: RawFormatter, at: number): number => (f.w[at + 1] as number) & 0xffff;
const kflagOf = (f: RawFormatter, at: number): boolean => (f.w[at + 1] as number) >>> 31 === 1;

const formatInt: Format = (f, id, at) => {
  const v = f.w[at + 3] as number;
  return `${f.head(id, at)} size=${f.w[at + 2]} bits_offset=${(v >>> 16) & 0xff} nr_bits=${v & 0xff} encoding=${INT_ENCODING[(v >>> 24) & 0x0f] ?? "UNKN"}`;
};

const formatRef: Format = (f, id, at) => `${f.head(id, at)} type_id=${f.w[at + 2]}`;

const formatArray: Format = (f, id, at) => `${f.head(id, at)} type_id=${f.w[at + 3]} index_type_id=${f.w[at + 4]} nr_elems=${f.w[at + 5]}`;

const formatComposite: Format = (f, id, at) => {
  const { w } = f;
  const vlen = vlenOf(f, at);
  const kflag = kflagOf(f, at);
  let s = `${f.head(id, at)} size=${w[at + 2]} vlen=${vlen}`;
  for (let m = at + 3, e = m + vlen * 3; m < e; m += 3) {
    const off = w[m + 2] as number;
    s += `\n\t${f.quoted(w[m] as number)} type_id=${w[m + 1]} bits_offset=${kflag ? off & 0xffffff : off}`;
    if (kflag && off >>> 24 !== 0) s += ` bitfield_size=${off >>> 24}`;
  }
  return s;
};

const formatEnum: Format = (f, id, at) => {
  const { w } = f;
  const vlen = vlenOf(f, at);
  const signed = kflagOf(f, at);
  let s = `${f.head(id, at)} encoding=${signed ? "SIGNED" : "UNSIGNED"} size=${w[at + 2]} vlen=${vlen}`;
  for (let m = at + 3, e = m + vlen * 2; m < e; m += 2) {
    const v = w[m + 1] as number;
    s += `\n\t${f.quoted(w[m] as number)} val=${signed ? v | 0 : v}`;
  }
  return s;
};

const formatEnum64: Format = (f, id, at) => {
  const { w } = f;
  const vlen = vlenOf(f, at);
  const signed = kflagOf(f, at);
  let s = `${f.head(id, at)} encoding=${signed ? "SIGNED" : "UNSIGNED"} size=${w[at + 2]} vlen=${vlen}`;
  for (let m = at + 3, e = m + vlen * 3; m < e; m += 3) {
    const v = (BigInt(w[m + 2] as number) << 32n) | BigInt(w[m + 1] as number);
    s += `\n\t${f.quoted(w[m] as number)} val=${signed ? `${BigInt.asIntN(64, v)}LL` : `${v}ULL`}`;
  }
  return s;
};

const formatFwd: Format = (f, id, at) => `${f.head(id, at)} fwd_kind=${kflagOf(f, at) ? "union" : "struct"}`;

const formatFunc: Format = (f, id, at) => `${f.head(id, at)} type_id=${f.w[at + 2]} linkage=${LINKAGE[vlenOf(f, at)] ?? "(unknown)"}`;

const formatFuncProto: Format = (f, id, at) => {
  const { w } = f;
  const vlen = vlenOf(f, at);
  let s = `${f.head(id, at)} ret_type_id=${w[at + 2]} vlen=${vlen}`;
  for (let m = at + 3, e = m + vlen * 2; m < e; m += 2) s += `\n\t${f.quoted(w[m] as number)} type_id=${w[m + 1]}`;
  return s;
};

const formatVar: Format = (f, id, at) => `${f.head(id, at)} type_id=${f.w[at + 2]}, linkage=${LINKAGE[f.w[at + 3] as number] ?? "(unknown)"}`;

const formatDatasec: Format = (f, id, at) => {
  const { w, wordAt, kinds, count } = f;
  const vlen = vlenOf(f, at);
  let s = `${f.head(id, at)} size=${w[at + 2]} vlen=${vlen}`;
  for (let m = at + 3, e = m + vlen * 3; m < e; m += 3) {
    const vt = w[m] as number;
    s += `\n\ttype_id=${vt} offset=${w[m + 1]} size=${w[m + 2]}`;
    // Void (id 0) has kind UNKNOWN and no name, as bpftool prints it.
    if (vt < count) s += ` (${KIND_NAMES[kinds[vt] as number]} ${f.quoted(w[wordAt[vt] as number] as number)})`;
  }
  return s;
};

const formatFloat: Format = (f, id, at) => `${f.head(id, at)} size=${f.w[at + 2]}`;

const formatDeclTag: Format = (f, id, at) => `${f.head(id, at)} type_id=${f.w[at + 2]} component_idx=${(f.w[at + 3] as number) | 0}`;

/** Formatter per BTF_KIND_* number (the parser admits no other kinds). */
const FORMATS: readonly Format[] = (() => {
  const t: Format[] = new Array(20).fill(formatFloat);
  t[BtfKind.INT] = formatInt;
  for (const k of [BtfKind.PTR, BtfKind.CONST, BtfKind.VOLATILE, BtfKind.RESTRICT, BtfKind.TYPEDEF, BtfKind.TYPE_TAG]) t[k] = formatRef;
  t[BtfKind.ARRAY] = formatArray;
  t[BtfKind.STRUCT] = formatComposite;
  t[BtfKind.UNION] = formatComposite;
  t[BtfKind.ENUM] = formatEnum;
  t[BtfKind.ENUM64] = formatEnum64;
  t[BtfKind.FWD] = formatFwd;
  t[BtfKind.FUNC] = formatFunc;
  t[BtfKind.FUNC_PROTO] = formatFuncProto;
  t[BtfKind.VAR] = formatVar;
  t[BtfKind.DATASEC] = formatDatasec;
  t[BtfKind.FLOAT] = formatFloat;
  t[BtfKind.DECL_TAG] = formatDeclTag;
  return t;
})();

/** Formats type `id` as bpftool's raw dump does (without the trailing newline). */
export function rawTypeLine(btf: Btf, id: number): string {
  const f = new RawFormatter(btf);
  return (FORMATS[btf.kinds[id] as number] as Format)(f, id, btf.wordAt[id] as number);
}

/** Writes the raw dump (every type from `startId`, 1 unless split BTF) to `sink`, in chunks of about 64 KiB. */
export function dumpRaw(btf: Btf, sink: Sink, startId = 1): void {
  const f = new RawFormatter(btf);
  const { kinds, wordAt } = btf;
  let buf = "";
  // A split BTF's dump starts at its own first id; the base's types are not printed.
  for (let id = Math.max(1, startId); id < btf.count; id++) {
    buf += `${(FORMATS[kinds[id] as number] as Format)(f, id, wordAt[id] as number)}\n`;
    if (buf.length > 65536) {
      sink(buf);
      buf = "";
    }
  }
  if (buf) sink(buf);
}
