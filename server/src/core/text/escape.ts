// Makes names from an object (untrusted input) safe to show in labels and markdown: visible controls, escaped markup.

/**
 * Characters that would hide, reorder or break text: C0/C1 controls, DEL, bidi overrides/isolates, line
 * separators; and bytes of a name that are not valid UTF-8 (lone U+DC80..U+DCFF, see lossless-utf8.ts).
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|(?<![\ud800-\udbff])[\udc80-\udcff]/g;

/** Replaces invisible and control characters with `\xNN` / `\u{NNNN}` so that a label shows what the object holds. */
export function visible(s: string): string {
  return s.replace(INVISIBLE, (c) => {
    const u = c.charCodeAt(0);
    // A byte that is not UTF-8 shows as that byte.
    const cp = u >= 0xdc80 && u <= 0xdcff ? u - 0xdc00 : (c.codePointAt(0) ?? 0);
    return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, "0")}` : `\\u{${cp.toString(16)}}`;
  });
}

/** Limits a label to `max` characters (names may be megabytes long in a hostile object). */
export function truncate(s: string, max = 200): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** A plain-text label: visible control characters, bounded length. Tree labels are never rendered as markup. */
export function label(s: string, max = 200): string {
  return truncate(visible(s), max);
}

/** Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of them leaves no markup. */
const MD_PUNCT = /[!-/:-@[-`{-~]/g;

/** Markdown for literal text: escaped punctuation, visible controls. Safe inside a paragraph or a table cell. */
export function mdText(s: string): string {
  // <, > and & become entities (no raw angle bracket reaches an HTML-capable renderer); the rest is backslash-escaped.
  return visible(s).replace(MD_PUNCT, (c) => ENTITIES[c] ?? `\\${c}`);
}

const ENTITIES: Readonly<Record<string, string>> = { "<": "&lt;", ">": "&gt;", "&": "&amp;" };

/** Inline code span whose delimiter is longer than any backtick run inside (so `code` cannot close it early). */
export function mdCode(s: string): string {
  const v = visible(s);
  const fence = "`".repeat(longestRun(v, "`") + 1);
  const pad = v.startsWith("`") || v.endsWith("`") || v === "" ? " " : "";
  return `${fence}${pad}${v}${pad}${fence}`;
}

/** A fenced code block that the content cannot close: the fence is longer than any backtick run inside. */
export function mdCodeBlock(lang: string, code: string): string {
  // Keep newlines and tabs in code blocks, make every other control character visible.
  const body = code
    .split("\n")
    .map((line) => line.split("\t").map(visible).join("\t"))
    .join("\n");
  const fence = "`".repeat(Math.max(3, longestRun(body, "`") + 1));
  return `${fence}${lang.replace(/[^A-Za-z0-9_+-]/g, "")}\n${body}\n${fence}\n`;
}

function longestRun(s: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of s) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}
