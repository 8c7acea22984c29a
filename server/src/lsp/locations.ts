// Source locations: BTF.ext line_info positions resolved to files, and declarations found in the source text.

import type { Location } from "vscode-languageserver-protocol";
import { type FileAccessor, paths } from "./files.js";
import { lineInfoNames } from "./discovery.js";
import { pathToUri } from "./uri.js";
import type { SrcLoc } from "./model/object-info.js";

/** Resolves a line_info file name to an existing file: a known source, else relative to roots and the object's dirs. */
export async function resolveSourceFile(
  fs: FileAccessor,
  fileName: string,
  knownSources: readonly string[],
  roots: readonly string[],
  objectPath: string,
): Promise<string | undefined> {
  const known = knownSources.find((s) => lineInfoNames(fileName, s));
  if (known) return known;
  const f = paths.normalize(fileName);
  if (paths.isAbsolute(f)) return (await fs.stat(f))?.isFile ? f : undefined;
  const bases: string[] = [...roots];
  for (let d = paths.dirname(objectPath), i = 0; i < 4; d = paths.dirname(d), i++) bases.push(d);
  for (const b of bases) {
    const p = paths.join(b, f);
    if ((await fs.stat(p))?.isFile) return p;
  }
  return undefined;
}

export function srcLocation(path: string, loc: SrcLoc): Location {
  const line = Math.max(0, loc.line - 1);
  const character = Math.max(0, loc.column - 1);
  return { uri: pathToUri(path), range: { start: { line, character }, end: { line, character } } };
}

/** The nearest line at or above `line` (0-based, up to 80 lines) that names function `name` (also BPF_PROG(name, ...)). */
export function findFunctionAbove(text: string, name: string, line: number): { line: number; character: number } | undefined {
  const lines = text.split("\n");
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`(^|[^A-Za-z0-9_])(${esc})\\s*[(,]`, "d");
  for (let l = Math.min(line, lines.length - 1); l >= 0 && l >= line - 80; l--) {
    const m = re.exec(lines[l] ?? "");
    const at = m?.indices?.[2]?.[0];
    if (at !== undefined) return { line: l, character: at };
  }
  return undefined;
}

/** The line and column of a top-level declaration of `name` (global variable or map) in C `text`. */
export function findDeclaration(text: string, name: string): { line: number; character: number } | undefined {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const patterns = [
    new RegExp(`^\\}\\s*(${esc})\\s+SEC\\s*\\(`, "md"),
    new RegExp(`^[A-Za-z_][^;(){}\\n]*?[\\s*](${esc})\\s*(\\[[^\\]\\n]*\\]\\s*)*(=|;|SEC\\b|__)`, "md"),
    new RegExp(`^[A-Za-z_][^;{}\\n]*?[\\s*](${esc})\\s*\\(`, "md"),
  ];
  for (const re of patterns) {
    const m = re.exec(text);
    const off = m?.indices?.[1]?.[0];
    if (off === undefined) continue;
    const before = text.slice(0, off);
    const line = before.split("\n").length - 1;
    return { line, character: off - (before.lastIndexOf("\n") + 1) };
  }
  return undefined;
}
