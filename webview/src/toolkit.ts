// The only module that knows the component set (@vscode/webview-ui-toolkit, archived upstream): swap it here.
// Everything else builds the view through these functions and plain DOM.

import {
  provideVSCodeDesignSystem,
  vsCodeBadge,
  vsCodeDataGrid,
  vsCodeDataGridCell,
  vsCodeDataGridRow,
  vsCodeDivider,
} from "@vscode/webview-ui-toolkit";

let registered = false;

/** Registers the custom elements once (before anything is created). */
export function registerComponents(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeDataGrid(),
    vsCodeDataGridRow(),
    vsCodeDataGridCell(),
    vsCodeBadge(),
    vsCodeDivider(),
  );
}

/** A data grid with fixed columns (CSS grid track sizes) and no generated header: rows are added with `gridRow`. */
export function grid(columns: readonly string[], ariaLabel: string): HTMLElement {
  const g = document.createElement("vscode-data-grid");
  g.setAttribute("generate-header", "none");
  g.setAttribute("grid-template-columns", columns.join(" "));
  g.setAttribute("aria-label", ariaLabel);
  return g;
}

/** One grid row; `header` makes it the sticky column-header row. Cells are plain text (textContent). */
export function gridRow(cells: readonly { text: string; title?: string; className?: string }[], header = false): HTMLElement {
  const row = document.createElement("vscode-data-grid-row");
  if (header) row.setAttribute("row-type", "sticky-header");
  cells.forEach((c, i) => {
    const cell = document.createElement("vscode-data-grid-cell");
    cell.setAttribute("grid-column", String(i + 1));
    if (header) cell.setAttribute("cell-type", "columnheader");
    if (c.className !== undefined) cell.className = c.className;
    if (c.title !== undefined) cell.title = c.title;
    cell.textContent = c.text;
    row.appendChild(cell);
  });
  return row;
}

export function badge(text: string): HTMLElement {
  const b = document.createElement("vscode-badge");
  b.textContent = text;
  return b;
}

export function divider(): HTMLElement {
  return document.createElement("vscode-divider");
}

/** A spinner drawn by layout.css (the toolkit's progress ring sets a style attribute, which the strict CSP blocks). */
export function progress(): HTMLElement {
  const p = document.createElement("span");
  p.className = "spinner";
  p.setAttribute("role", "progressbar");
  p.setAttribute("aria-label", "Loading");
  return p;
}
