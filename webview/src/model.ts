// Turns flat layout nodes into what the layout view draws: per section, table rows and bar segments with holes and
// cache lines. Pure (no DOM), unit-tested; offsets and sizes come from an untrusted file and are clamped here.

import { visible } from "../../server/src/core/text/escape.js";
import type { LayoutNode } from "./protocol.js";

export type RowKind = "variable" | "padding" | "hole";

export interface RowView {
  /** Layout node id (undefined for holes computed here). */
  nodeId?: number;
  kind: RowKind;
  /** Stable across refreshes: used to keep the selection. */
  key: string;
  name: string;
  cType: string;
  offset: number;
  size: number;
  align: number;
  cacheLine: number;
  cacheLineEnd: number;
  exposed?: boolean;
  hasLocation: boolean;
}

export interface Segment {
  kind: RowKind;
  key: string;
  offset: number;
  size: number;
  /** Position and width in percent of the section. */
  left: number;
  width: number;
  title: string;
}

export interface SectionView {
  key: string;
  nodeId: number;
  name: string;
  size: number;
  align: number;
  rows: RowView[];
  segments: Segment[];
  /** Cache-line boundaries inside the section (offset 64, 128, ...; `left` in percent), none past MAX_CACHE_LINE_MARKS. */
  cacheLineMarks: { offset: number; index: number; left: number }[];
  /** Total number of cache lines the section spans. */
  cacheLines: number;
  paddingBytes: number;
  holeBytes: number;
}

/** Beyond this many cache lines the bar shows no boundary marks (a 1 MB .bss would otherwise draw 16,384 lines). */
export const MAX_CACHE_LINE_MARKS = 256;
/** Sections and rows beyond these counts are not drawn (hostile objects); the view says so. */
export const MAX_ROWS_PER_SECTION = 5000;

function num(n: unknown, min = 0): number {
  return typeof n === "number" && Number.isFinite(n) ? Math.max(min, Math.floor(n)) : min;
}

export function rowKey(section: string, kind: RowKind, name: string, offset: number): string {
  return `${section}\u0000${kind}\u0000${name}\u0000${offset}`;
}

export function sectionKey(section: string): string {
  return `${section}\u0000section`;
}

/** Groups nodes by section (in the order the sections come), sorts rows by offset and finds holes. */
export function buildSections(nodes: readonly LayoutNode[], cacheLineSize: number): SectionView[] {
  const line = num(cacheLineSize, 1) || 64;
  const sections: SectionView[] = [];
  const byId = new Map<number, SectionView>();
  for (const n of nodes) {
    if (n.kind !== "section") continue;
    const s: SectionView = {
      key: sectionKey(n.name),
      nodeId: n.id,
      name: n.name,
      size: num(n.size),
      align: num(n.align, 1),
      rows: [],
      segments: [],
      cacheLineMarks: [],
      cacheLines: 0,
      paddingBytes: 0,
      holeBytes: 0,
    };
    sections.push(s);
    byId.set(n.id, s);
  }
  const members = new Map<SectionView, LayoutNode[]>();
  for (const n of nodes) {
    if (n.kind === "section" || n.parent === undefined) continue;
    const s = byId.get(n.parent);
    if (s === undefined) continue;
    let list = members.get(s);
    if (list === undefined) members.set(s, (list = []));
    list.push(n);
  }
  for (const s of sections) fillSection(s, members.get(s) ?? [], line);
  return sections;
}

function fillSection(s: SectionView, list: LayoutNode[], line: number): void {
  const sorted = [...list].sort((a, b) => num(a.offset) - num(b.offset) || num(a.size) - num(b.size)).slice(0, MAX_ROWS_PER_SECTION);
  let end = 0;
  for (const n of sorted) {
    const offset = num(n.offset);
    const size = num(n.size);
    if (offset > end) pushHole(s, end, offset - end, line);
    const kind: RowKind = n.kind === "padding" ? "padding" : "variable";
    const row: RowView = {
      nodeId: n.id,
      kind,
      key: rowKey(s.name, kind, n.name, offset),
      name: n.name,
      cType: n.cType,
      offset,
      size,
      align: num(n.align, 1),
      cacheLine: Math.floor(offset / line),
      cacheLineEnd: Math.floor((offset + Math.max(size, 1) - 1) / line),
      hasLocation: n.location !== undefined,
      ...(n.exposed !== undefined ? { exposed: n.exposed } : {}),
    };
    s.rows.push(row);
    if (kind === "padding") s.paddingBytes += size;
    pushSegment(s, row.kind, row.key, offset, size, segmentTitle(row));
    end = Math.max(end, offset + size);
  }
  if (s.size > end) pushHole(s, end, s.size - end, line);
  // A section whose members run past its declared size is drawn to the larger extent.
  const extent = Math.max(s.size, end, 1);
  for (const seg of s.segments) {
    seg.left = (seg.offset / extent) * 100;
    seg.width = (seg.size / extent) * 100;
  }
  s.cacheLines = Math.ceil(extent / line);
  if (s.cacheLines - 1 <= MAX_CACHE_LINE_MARKS) {
    for (let off = line; off < extent; off += line) {
      s.cacheLineMarks.push({ offset: off, index: off / line, left: (off / extent) * 100 });
    }
  }
}

function pushHole(s: SectionView, offset: number, size: number, line: number): void {
  const key = rowKey(s.name, "hole", "", offset);
  s.rows.push({
    kind: "hole",
    key,
    name: "",
    cType: "",
    offset,
    size,
    align: 1,
    cacheLine: Math.floor(offset / line),
    cacheLineEnd: Math.floor((offset + size - 1) / line),
    hasLocation: false,
  });
  s.holeBytes += size;
  pushSegment(s, "hole", key, offset, size, `hole: ${size} B unused at offset ${offset}`);
}

function pushSegment(s: SectionView, kind: RowKind, key: string, offset: number, size: number, title: string): void {
  s.segments.push({ kind, key, offset, size, left: 0, width: 0, title });
}

export function segmentTitle(r: RowView): string {
  switch (r.kind) {
    case "variable":
      return `${visible(r.cType)} ${visible(r.name)}: offset ${r.offset}, ${r.size} B`;
    case "padding":
      return `padding: ${r.size} B at offset ${r.offset}`;
    case "hole":
      return `hole: ${r.size} B unused at offset ${r.offset}`;
  }
}

/** The text of each table column for a row (C type cells show the full type on hover). */
export function rowCells(r: RowView): { name: string; cType: string; offset: string; size: string; align: string; line: string } {
  // Names and types come from the object: control characters are shown as \xNN, as in the tree.
  const name = r.kind === "variable" ? visible(r.name) : r.kind === "padding" ? "(padding)" : "(hole)";
  return {
    name,
    cType: visible(r.cType),
    offset: String(r.offset),
    size: String(r.size),
    align: r.kind === "variable" ? String(r.align) : "",
    line: r.cacheLine === r.cacheLineEnd ? String(r.cacheLine) : `${r.cacheLine}–${r.cacheLineEnd}`,
  };
}

/** Finds the row to select for a "focus" message: the named variable, else the section's first row. */
export function findFocusKey(sections: readonly SectionView[], section: string, name?: string): string | undefined {
  const s = sections.find((x) => x.name === section);
  if (s === undefined) return undefined;
  if (name !== undefined) {
    const r = s.rows.find((x) => x.kind === "variable" && x.name === name);
    if (r !== undefined) return r.key;
  }
  return s.key;
}
