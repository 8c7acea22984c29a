// Markdown building with every untrusted string (names from an object file) escaped or fenced.

import { mdCode, mdCodeBlock, mdText } from "../core/text/escape.js";

/** Text for a markdown paragraph: no markup, no HTML, no links, one line (controls and newlines shown as \xNN). */
export function text(s: string): string {
  return mdText(s);
}

/** Inline code span that no content can close early. */
export function code(s: string): string {
  return mdCode(s);
}

/** Longest code block a hover shows: a hostile 1 KB object can make a definition megabytes long. */
export const MAX_BLOCK_LINES = 400;
export const MAX_BLOCK_CHARS = 64 * 1024;

/** A fenced code block (C by default) that no content can close early, cut to a size a popup can show. */
export function codeBlock(body: string, lang = "c"): string {
  let clean = body.replace(/\s+$/, "");
  const lines = clean.split("\n");
  if (lines.length > MAX_BLOCK_LINES || clean.length > MAX_BLOCK_CHARS) {
    let kept = lines.slice(0, MAX_BLOCK_LINES).join("\n");
    if (kept.length > MAX_BLOCK_CHARS) kept = kept.slice(0, MAX_BLOCK_CHARS);
    const shownLines = kept.split("\n").length;
    clean = `${kept}\n/* ... ${lines.length - shownLines + 1} more lines, ${clean.length - kept.length} more characters (BTF Lens: Find Type shows the whole definition) */`;
  }
  return mdCodeBlock(lang, clean).replace(/\n$/, "");
}

/** A two-column markdown table; cells are escaped. */
export function table(header: [string, string, string?], rows: string[][]): string {
  const cols = header.filter((h) => h !== undefined) as string[];
  const head = `| ${cols.map(text).join(" | ")} |`;
  const sep = `|${cols.map(() => "---").join("|")}|`;
  const body = rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`);
  return [head, sep, ...body].join("\n");
}

/** Decimal byte count with unit: "1 byte", "8 bytes". */
export function bytesText(n: number): string {
  return n === 1 ? "1 byte" : `${n} bytes`;
}
