// JSON encoding/decoding for the test probe (pure apart from the vscode classes passed in; unit-tested with fakes).

/** The vscode constructors the decoder needs (injected so tests can use fakes). */
export interface ProbeFactory {
  file(path: string): unknown;
  parse(uri: string): unknown;
  position(line: number, character: number): unknown;
  range(l1: number, c1: number, l2: number, c2: number): unknown;
}

/** Decodes `{"$uri": ...}`, `{"$position": [l, c]}`, `{"$range": [l1, c1, l2, c2]}`; everything else as it is. */
export function decodeArg(a: unknown, f: ProbeFactory): unknown {
  if (typeof a !== "object" || a === null || Array.isArray(a)) return a;
  const r = a as Record<string, unknown>;
  if (typeof r.$uri === "string") {
    const s = r.$uri;
    const colon = s.indexOf(":");
    const slash = s.indexOf("/");
    return colon > 0 && (slash < 0 || colon < slash) && !/^[A-Za-z]:[\\/]/.test(s) ? f.parse(s) : f.file(s);
  }
  if (Array.isArray(r.$position) && r.$position.length === 2) {
    const [l, c] = r.$position as number[];
    return f.position(Number(l), Number(c));
  }
  if (Array.isArray(r.$range) && r.$range.length === 4) {
    const [a1, b1, a2, b2] = (r.$range as unknown[]).map(Number) as [number, number, number, number];
    return f.range(a1, b1, a2, b2);
  }
  return a;
}

/** Type tests for the vscode values the encoder knows (duck-typed so tests need no vscode). */
export interface ProbeKinds {
  isUri(v: object): boolean;
  isMarkdown(v: object): boolean;
  isPosition(v: object): boolean;
  isRange(v: object): boolean;
}

type Md = { value: string; supportHtml?: boolean; isTrusted?: unknown };
type Pos = { line: number; character: number };

/** Makes a result JSON-safe as the e2e contract (test/e2e/README.md) says. */
export function encodeValue(v: unknown, k: ProbeKinds, depth = 0): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "function" || typeof v === "symbol") return undefined;
  if (depth >= 10) return null;
  if (Array.isArray(v)) return v.map((x) => encodeValue(x, k, depth + 1) ?? null);
  const o = v as object;
  if (k.isUri(o)) return { $uri: String(o) };
  if (k.isMarkdown(o)) {
    const m = o as Md;
    return { $markdown: m.value, supportHtml: m.supportHtml === true, isTrusted: m.isTrusted === true };
  }
  if (k.isRange(o)) {
    const r = o as { start: Pos; end: Pos };
    return { start: encodeValue(r.start, k, depth + 1), end: encodeValue(r.end, k, depth + 1) };
  }
  if (k.isPosition(o)) {
    const p = o as Pos;
    return { line: p.line, character: p.character };
  }
  const out: Record<string, unknown> = {};
  for (const [key, val] of Object.entries(o)) {
    const e = encodeValue(val, k, depth + 1);
    if (e !== undefined) out[key] = e;
  }
  return out;
}
