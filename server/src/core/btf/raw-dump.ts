// `bpftool btf dump ... format raw`: one line per type plus one per member/value/param, as bpftool prints them.

import type { Btf } from "./parse.js";
import { KIND_NAMES, kindNumber, type BtfType } from "./types.js";

/** Receives output text in pieces. */
export type Sink = (chunk: string) => void;

const INT_ENCODING: Record<number, string> = { 0: "(none)", 1: "SIGNED", 2: "CHAR", 4: "BOOL" };
const LINKAGE = ["static", "global", "extern"];

function quoted(btf: Btf, nameOff: number, name: string): string {
  if (nameOff === 0) return "'(anon)'";
  // Offsets were validated at parse time, so `name` is the string at nameOff.
  void btf;
  return `'${name}'`;
}

/** Formats one type as bpftool's raw dump does (without the trailing newline). */
export function rawTypeLine(btf: Btf, t: BtfType): string {
  const head = `[${t.id}] ${KIND_NAMES[kindNumber(t)]} ${quoted(btf, t.nameOff, t.name)}`;
  switch (t.kind) {
    case "void":
      return head;
    case "int":
      return `${head} size=${t.size} bits_offset=${t.bitsOffset} nr_bits=${t.nrBits} encoding=${INT_ENCODING[t.encoding] ?? "UNKN"}`;
    case "ptr":
    case "const":
    case "volatile":
    case "restrict":
    case "typedef":
    case "type_tag":
      return `${head} type_id=${t.type}`;
    case "array":
      return `${head} type_id=${t.type} index_type_id=${t.indexType} nr_elems=${t.nelems}`;
    case "struct":
    case "union": {
      let s = `${head} size=${t.size} vlen=${t.members.length}`;
      for (const m of t.members) {
        s += `\n\t${quoted(btf, m.nameOff, m.name)} type_id=${m.type} bits_offset=${m.bitOffset}`;
        if (m.bitfieldSize) s += ` bitfield_size=${m.bitfieldSize}`;
      }
      return s;
    }
    case "enum": {
      let s = `${head} encoding=${t.signed ? "SIGNED" : "UNSIGNED"} size=${t.size} vlen=${t.values.length}`;
      for (const v of t.values) {
        const n = Number(v.value);
        s += `\n\t${quoted(btf, v.nameOff, v.name)} val=${t.signed ? n | 0 : n}`;
      }
      return s;
    }
    case "enum64": {
      let s = `${head} encoding=${t.signed ? "SIGNED" : "UNSIGNED"} size=${t.size} vlen=${t.values.length}`;
      for (const v of t.values) {
        s += t.signed
          ? `\n\t${quoted(btf, v.nameOff, v.name)} val=${BigInt.asIntN(64, v.value)}LL`
          : `\n\t${quoted(btf, v.nameOff, v.name)} val=${v.value}ULL`;
      }
      return s;
    }
    case "fwd":
      return `${head} fwd_kind=${t.fwdKind}`;
    case "func":
      return `${head} type_id=${t.type} linkage=${LINKAGE[t.linkage] ?? "(unknown)"}`;
    case "func_proto": {
      let s = `${head} ret_type_id=${t.returnType} vlen=${t.params.length}`;
      for (const p of t.params) s += `\n\t${quoted(btf, p.nameOff, p.name)} type_id=${p.type}`;
      return s;
    }
    case "var":
      return `${head} type_id=${t.type}, linkage=${LINKAGE[t.linkage] ?? "(unknown)"}`;
    case "datasec": {
      let s = `${head} size=${t.size} vlen=${t.vars.length}`;
      for (const v of t.vars) {
        s += `\n\ttype_id=${v.type} offset=${v.offset} size=${v.size}`;
        const vt = v.type < btf.count ? btf.decode(v.type) : undefined;
        if (vt) s += ` (${KIND_NAMES[kindNumber(vt)]} ${quoted(btf, vt.nameOff, vt.name)})`;
      }
      return s;
    }
    case "float":
      return `${head} size=${t.size}`;
    case "decl_tag":
      return `${head} type_id=${t.type} component_idx=${t.componentIdx}`;
  }
}

/** Writes the whole raw dump (every type from id 1) to `sink`, in chunks of about 64 KiB. */
export function dumpRaw(btf: Btf, sink: Sink): void {
  let buf = "";
  for (let id = 1; id < btf.count; id++) {
    buf += `${rawTypeLine(btf, btf.decode(id))}\n`;
    if (buf.length > 65536) {
      sink(buf);
      buf = "";
    }
  }
  if (buf) sink(buf);
}
