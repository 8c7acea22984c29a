// Hover content for a word in a BPF C source: globals, maps, programs, types and functions from the object's BTF.

import type { Btf } from "../core/btf/parse.js";
import type { BtfType } from "../core/btf/types.js";
import { bytesText, code, codeBlock, table, text } from "./markdown.js";
import { type CTypes, resolve, sizeOf, typeAt } from "./model/ctype.js";
import type { DatasecInfo, MapInfo, ObjectInfo, ProgInfo, VarInfo } from "./model/object-info.js";

export interface Word {
  word: string;
  start: number;
  end: number;
  /** The identifier before it (`struct` in `struct event`), if any. */
  before: string | undefined;
}

const IDENT = /[A-Za-z0-9_]/;

/** The C identifier at `offset` in `source`, and the identifier just before it. */
export function wordAt(source: string, offset: number): Word | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && IDENT.test(source[start - 1] ?? "")) start--;
  while (end < source.length && IDENT.test(source[end] ?? "")) end++;
  if (start === end) return undefined;
  const word = source.slice(start, end);
  if (/^[0-9]/.test(word)) return undefined;
  let p = start;
  while (p > 0 && /\s/.test(source[p - 1] ?? "")) p--;
  let q = p;
  while (q > 0 && IDENT.test(source[q - 1] ?? "")) q--;
  return { word, start, end, before: q < p ? source.slice(q, p) : undefined };
}

function linkageName(l: number): string {
  return l === 0 ? "static" : l === 1 ? "global" : l === 2 ? "extern" : `linkage ${l}`;
}

function varHover(info: ObjectInfo, c: CTypes, sec: DatasecInfo, v: VarInfo): string {
  const idx = sec.vars.indexOf(v);
  const prev = sec.vars[idx - 1];
  const next = sec.vars[idx + 1];
  const padBefore = prev ? v.offset - (prev.offset + prev.size) : v.offset;
  const padAfter = (next ? next.offset : sec.size) - (v.offset + v.size);
  const lines = [
    codeBlock(`${c.decl(v.typeId, v.name)};`),
    `${v.linkage === "extern" ? "Extern variable (libbpf fills it in)" : "Global variable"} in section ${code(sec.name)}: offset ${v.offset}, size ${bytesText(v.size)}, alignment ${v.align}, linkage ${v.linkage}.`,
    `Padding: ${bytesText(Math.max(0, padBefore))} before, ${bytesText(Math.max(0, padAfter))} after.`,
  ];
  if (v.exposed && v.skelAccessor) lines.push(`Skeleton: ${code(v.skelAccessor)}`);
  else lines.push(`Not in the skeleton: ${text(v.reason ?? "unknown")}.`);
  lines.push(profileNote(info));
  return lines.join("\n\n");
}

function mapHover(info: ObjectInfo, c: CTypes, m: MapInfo): string {
  const key = m.keyTypeId ? c.decl(m.keyTypeId) : undefined;
  const value = m.valueTypeId ? c.decl(m.valueTypeId) : undefined;
  const rows: string[][] = [
    ["type", code(`BPF_MAP_TYPE_${m.typeName.toUpperCase()}`)],
    ["key", key ? `${code(key)} (${bytesText(m.keySize)})` : m.keySize ? bytesText(m.keySize) : "none"],
    ["value", value ? `${code(value)} (${bytesText(m.valueSize)})` : m.valueSize ? bytesText(m.valueSize) : "none"],
    ["max_entries", String(m.maxEntries)],
    ["flags", `0x${m.flags.toString(16)}`],
    ["pinning", m.pinning === 0 ? "none" : m.pinning === 1 ? "by name (LIBBPF_PIN_BY_NAME)" : String(m.pinning)],
  ];
  if (m.mapExtra !== 0n) rows.push(["map_extra", `0x${m.mapExtra.toString(16)}`]);
  if (m.innerDesc) rows.push(["inner map", text(m.innerDesc)]);
  else if (m.innerTypeId) rows.push(["inner map", code(c.decl(m.innerTypeId))]);
  return [
    codeBlock(
      m.section === ".maps"
        ? `${c.decl(varType(info, m.varId), m.name)} SEC(".maps");`
        : `${c.decl(m.valueTypeId, m.name)} SEC(${JSON.stringify(m.section)});`,
    ),
    `BPF map ${code(m.name)}`,
    table(["field", "value"], rows),
    `Skeleton: ${code(`skel->maps.${m.name}`)}`,
  ].join("\n\n");
}

function varType(info: ObjectInfo, varId: number): number {
  const t = info.btf ? typeAt(info.btf, varId) : undefined;
  return t?.kind === "var" ? t.type : 0;
}

function progHover(info: ObjectInfo, c: CTypes, p: ProgInfo): string {
  const fn = p.funcId && info.btf ? typeAt(info.btf, p.funcId) : undefined;
  const proto = fn?.kind === "func" ? c.decl(fn.type, p.name) : `int ${p.name}(...)`;
  const rows: string[][] = [
    ["section", code(p.section)],
    ["program type", code(`BPF_PROG_TYPE_${p.progType.toUpperCase()}`)],
    ["attach type", p.attachType ? code(`BPF_${p.attachType.toUpperCase()}`) : "none"],
    ["instructions", String(p.insnCount)],
    ["autoload", p.autoload ? "yes" : "no (section starts with ?)"],
    ["sleepable", p.sleepable ? "yes" : "no"],
  ];
  return [
    codeBlock(`SEC(${JSON.stringify(p.section)})\n${proto};`),
    `BPF program ${code(p.name)}`,
    table(["field", "value"], rows),
    `Skeleton: ${code(`skel->progs.${p.name}`)}, ${code(`skel->links.${p.name}`)}`,
  ].join("\n\n");
}

function memberTable(btf: Btf, c: CTypes, t: BtfType): string | undefined {
  if (t.kind !== "struct" && t.kind !== "union") return undefined;
  if (t.members.length === 0) return undefined;
  const rows = t.members.slice(0, 200).map((m) => {
    const off = m.bitfieldSize > 0 || m.bitOffset % 8 !== 0 ? `bit ${m.bitOffset}` : String(m.bitOffset / 8);
    const size = m.bitfieldSize > 0 ? `${m.bitfieldSize} bits` : String(sizeOf(btf, m.type) ?? "?");
    return [code(m.name || "(anonymous)"), code(c.decl(m.type)), off, size];
  });
  const head = "| member | type | offset | size |\n|---|---|---|---|";
  const body = rows.map((r) => `| ${r.map((x) => x.replace(/\|/g, "\\|")).join(" | ")} |`).join("\n");
  const more = t.members.length > 200 ? `\n\n(${t.members.length - 200} more members)` : "";
  return `${head}\n${body}${more}`;
}

function typeHover(btf: Btf, c: CTypes, t: BtfType): string {
  const parts = [codeBlock(c.definition(t.id))];
  const size = sizeOf(btf, t.id);
  const r = resolve(btf, t.id);
  if (size !== undefined) parts.push(`size ${bytesText(size)}${r && r !== t ? `, resolves to ${code(c.decl(r.id))}` : ""}`);
  // A typedef of a struct/union shows the members of what it names.
  const members = memberTable(btf, c, t) ?? (r && r !== t ? memberTable(btf, c, r) : undefined);
  if (members) parts.push(members);
  return parts.join("\n\n");
}

function funcHover(c: CTypes, t: BtfType & { kind: "func" }): string {
  return [codeBlock(`${c.decl(t.type, t.name)};`), `Function, linkage ${linkageName(t.linkage)}.`].join("\n\n");
}

function profileNote(info: ObjectInfo): string {
  return `_Profile: bpftool ${text(info.profile.bpftoolVersion)}_`;
}

const TAG_KINDS = new Map<string, readonly string[]>([
  ["struct", ["struct"]],
  ["union", ["union"]],
  ["enum", ["enum", "enum64"]],
]);
const TYPE_KINDS = ["struct", "union", "enum", "enum64", "typedef", "fwd"];

/** Markdown for `word` in a source served by `info`, or undefined when the object knows nothing of it. */
export function hoverMarkdown(info: ObjectInfo, c: CTypes, w: Word): string | undefined {
  const btf = info.btf;
  const tagKinds = w.before ? TAG_KINDS.get(w.before) : undefined;
  if (!tagKinds) {
    const prog = info.programs.find((p) => p.name === w.word);
    if (prog) return progHover(info, c, prog);
    const map = info.maps.find((m) => m.name === w.word);
    if (map) return mapHover(info, c, map);
    // A linked object may hold several static variables of the same name: show them all.
    const vars: string[] = [];
    for (const sec of info.datasecs) {
      for (const v of sec.vars) if (v.name === w.word) vars.push(varHover(info, c, sec, v));
    }
    if (vars.length > 0) return vars.join("\n\n---\n\n");
  }
  if (!btf) return undefined;
  const ids = btf.idsByName(w.word);
  const kinds = tagKinds ?? TYPE_KINDS;
  // Prefer a full definition over a forward declaration.
  const candidates = ids.map((id) => typeAt(btf, id)).filter((t): t is BtfType => !!t && kinds.includes(t.kind));
  const typ = candidates.find((t) => t.kind !== "fwd") ?? candidates[0];
  if (typ) return typeHover(btf, c, typ);
  if (!tagKinds) {
    const fn = ids.map((id) => typeAt(btf, id)).find((t) => t?.kind === "func");
    if (fn?.kind === "func") return funcHover(c, fn);
  }
  return undefined;
}
