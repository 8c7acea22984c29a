// Markdown building with every untrusted string (names from an object file) escaped or fenced.

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text for a markdown paragraph: no markup, no HTML, no links, one line. */
export function text(s: string): string {
  return s
    .replace(CONTROL, "\uFFFD")
    .replace(/[\r\n]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_{}[\]()#+\-.!|~:"']/g, (c) => `\\${c}`);
}

function longestRun(s: string, ch: string): number {
  let best = 0;
  let cur = 0;
  for (const c of s) {
    cur = c === ch ? cur + 1 : 0;
    if (cur > best) best = cur;
  }
  return best;
}

/** Inline code span that no content can close early. */
export function code(s: string): string {
  const clean = s.replace(CONTROL, "\uFFFD").replace(/[\r\n]+/g, " ");
  const fence = "`".repeat(longestRun(clean, "`") + 1);
  const pad = clean.startsWith("`") || clean.endsWith("`") || clean.startsWith(" ") ? " " : "";
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** A fenced code block (C by default) that no content can close early. */
export function codeBlock(body: string, lang = "c"): string {
  const clean = body.replace(CONTROL, "\uFFFD").replace(/\s+$/, "");
  const fence = "`".repeat(Math.max(3, longestRun(clean, "`") + 1));
  return `${fence}${lang}\n${clean}\n${fence}`;
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
