// Draws the layout view with DOM APIs only (textContent, attributes): names come from an untrusted object file.

import { type RowView, rowCells, type SectionView, type Segment } from "./model.js";
import { badge, divider, grid, gridRow, progress } from "./toolkit.js";

export interface RenderCallbacks {
  /** A row or bar segment was clicked (or Enter pressed on it). */
  activate(key: string, nodeId: number | undefined): void;
}

const COLUMNS = ["minmax(7em, 3fr)", "minmax(7em, 3fr)", "minmax(4.5em, 1fr)", "minmax(4em, 1fr)", "minmax(4em, 1fr)", "minmax(4em, 1fr)"];
const HEADER = ["Variable", "C type", "Offset", "Size", "Align", "Line"];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className !== undefined) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function renderLoading(root: HTMLElement, objectName: string): void {
  root.replaceChildren();
  const p = el("div", "loading");
  p.append(progress(), el("span", undefined, `Reading ${objectName}…`));
  root.append(p);
}

export function renderError(root: HTMLElement, objectName: string, message: string): void {
  root.replaceChildren(el("h1", undefined, objectName), el("p", "error", message));
}

export function renderLayout(
  root: HTMLElement,
  objectName: string,
  sections: readonly SectionView[],
  cacheLineSize: number,
  cb: RenderCallbacks,
): void {
  const head = el("header");
  head.append(el("h1", undefined, objectName));
  head.append(
    el(
      "p",
      "summary",
      sections.length === 0
        ? "This object has no data sections (.bss, .data, .rodata, ...)."
        : `${sections.length} data section${sections.length === 1 ? "" : "s"}; cache lines of ${cacheLineSize} bytes.`,
    ),
  );
  head.append(legend());
  const body = el("div", "sections");
  for (const s of sections) body.append(renderSection(s, cb));
  root.replaceChildren(head, body);
}

function legend(): HTMLElement {
  const l = el("div", "legend");
  for (const [kind, text] of [
    ["variable", "variable"],
    ["padding", "padding"],
    ["hole", "hole (unused)"],
  ] as const) {
    const item = el("span", "legend-item");
    item.append(el("span", `swatch seg-${kind}`), el("span", undefined, text));
    l.append(item);
  }
  const mark = el("span", "legend-item");
  mark.append(el("span", "swatch swatch-line"), el("span", undefined, "cache-line boundary"));
  l.append(mark);
  return l;
}

function renderSection(s: SectionView, cb: RenderCallbacks): HTMLElement {
  const sec = el("section", "datasec");
  sec.dataset.key = s.key;
  const h = el("h2");
  h.append(el("span", "section-name", s.name), badge(`${s.size} B`));
  sec.append(h);
  const facts = [
    `${s.rows.filter((r) => r.kind === "variable").length} variables`,
    `align ${s.align}`,
    `${s.paddingBytes} B padding`,
    `${s.holeBytes} B holes`,
    `${s.cacheLines} cache line${s.cacheLines === 1 ? "" : "s"}`,
  ];
  sec.append(el("p", "facts", facts.join(" · ")));
  sec.append(renderBar(s, cb));
  if (s.cacheLineMarks.length === 0 && s.cacheLines > 1) {
    sec.append(el("p", "note", "Too many cache lines to draw their boundaries; see the Cache line column."));
  }
  const g = grid(COLUMNS, `Layout of ${s.name}`);
  g.append(gridRow(HEADER.map((text) => ({ text })), true));
  for (const r of s.rows) g.append(renderRow(r, cb));
  sec.append(g, divider());
  return sec;
}

function renderBar(s: SectionView, cb: RenderCallbacks): HTMLElement {
  const bar = el("div", "bar");
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", `${s.name}: proportional layout`);
  for (const seg of s.segments) bar.append(renderSegment(seg, s, cb));
  for (const mark of s.cacheLineMarks) {
    const m = el("div", "cl-mark");
    m.style.left = `${mark.left}%`;
    m.title = `cache line ${mark.index} starts at offset ${mark.offset}`;
    bar.append(m);
  }
  return bar;
}

function renderSegment(seg: Segment, s: SectionView, cb: RenderCallbacks): HTMLElement {
  const d = el("div", `seg seg-${seg.kind}`);
  d.dataset.key = seg.key;
  d.style.left = `${seg.left}%`;
  d.style.width = `${seg.width}%`;
  d.title = seg.title;
  const row = s.rows.find((r) => r.key === seg.key);
  if (row?.kind === "variable") {
    d.tabIndex = 0;
    d.addEventListener("click", () => cb.activate(seg.key, row.nodeId));
  }
  return d;
}

function renderRow(r: RowView, cb: RenderCallbacks): HTMLElement {
  const c = rowCells(r);
  const full =
    r.kind === "variable" ? `${r.cType} ${r.name}${r.exposed === false ? " (not in the skeleton)" : ""}` : c.name;
  const row = gridRow([
    { text: c.name, title: full, className: `cell-name kind-${r.kind}` },
    { text: c.cType, title: r.cType === "" ? full : r.cType, className: "cell-type" },
    { text: c.offset, title: full, className: "num" },
    { text: c.size, title: full, className: "num" },
    { text: c.align, title: full, className: "num" },
    { text: c.line, title: full, className: "num" },
  ]);
  row.dataset.key = r.key;
  row.classList.add(`row-${r.kind}`);
  if (r.exposed === false) row.classList.add("not-exposed");
  const go = (): void => cb.activate(r.key, r.kind === "variable" ? r.nodeId : undefined);
  row.addEventListener("click", go);
  row.addEventListener("keydown", (e) => {
    if (e.key === "Enter") go();
  });
  return row;
}

/** Marks the row and the bar segment with `key` as selected (and nothing else). Returns the selected row, if any. */
export function applySelection(root: HTMLElement, key: string | undefined): HTMLElement | undefined {
  let found: HTMLElement | undefined;
  root.querySelectorAll<HTMLElement>("[data-key]").forEach((e) => {
    const on = key !== undefined && e.dataset.key === key;
    e.classList.toggle("selected", on);
    if (e.tagName.toLowerCase() === "vscode-data-grid-row") {
      e.setAttribute("aria-selected", on ? "true" : "false");
      if (on) found = e;
    } else if (on && e.tagName.toLowerCase() === "section") found ??= e;
  });
  return found;
}
