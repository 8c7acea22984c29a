// Finds the object a BPF C source uses: beside it, in .output/ or build/, in configured globs, or by BTF.ext line_info.

import type { Profile } from "../core/profile.js";
import type { ObjectCache } from "./cache.js";
import { type FileAccessor, paths } from "./files.js";
import { globToRegExp, hasGlobChars } from "./glob.js";
import type { ObjectInfo } from "./model/object-info.js";
import type { ObjectOrigin } from "../protocol.js";

export interface Discovery {
  object: string | undefined;
  origin: ObjectOrigin | undefined;
  searched: string[];
}

/** `*.bpf.c`, or a C file that uses SEC( or includes bpf_helpers.h. */
export function isBpfSource(path: string, text: string | undefined): boolean {
  if (path.endsWith(".bpf.c")) return true;
  if (!/\.(c|h)$/.test(path) || text === undefined) return false;
  return /\bSEC\s*\(/.test(text) || /#\s*include\s*[<"](bpf\/)?bpf_helpers\.h[>"]/.test(text);
}

/** Whether a line_info file name (as compiled: absolute or relative to the build directory) names `source`. */
export function lineInfoNames(fileName: string, source: string): boolean {
  const f = paths.normalize(fileName);
  if (paths.isAbsolute(f)) return f === source;
  const rel = f.replace(/^(\.\/)+/, "");
  if (rel.startsWith("../")) return source.endsWith(`/${rel.replace(/^(\.\.\/)+/, "")}`);
  return source === rel || source.endsWith(`/${rel}`);
}

const SKIP_DIRS = new Set(["node_modules", ".git", ".hg", ".svn", ".vscode-test", "dist"]);
const MAX_SCAN = 5000;
const MAX_DEPTH = 8;

export function isObjectFileName(name: string): boolean {
  return name.endsWith(".o") || name.endsWith(".btf");
}

export class ObjectIndex {
  roots: string[] = [];
  searchPaths: string[] = [];
  private scanned: string[] | undefined;

  constructor(
    private readonly fs: FileAccessor,
    private readonly cache: ObjectCache,
  ) {}

  /** Forget the workspace scan (after objects were created or deleted). */
  invalidateScan(): void {
    this.scanned = undefined;
  }

  /** All object files under the workspace roots (bounded walk). */
  async workspaceObjects(): Promise<string[]> {
    if (this.scanned) return this.scanned;
    const found: string[] = [];
    let visited = 0;
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (depth > MAX_DEPTH || visited > MAX_SCAN) return;
      for (const name of await this.fs.readDir(dir)) {
        if (++visited > MAX_SCAN) return;
        const p = paths.join(dir, name);
        if (isObjectFileName(name)) {
          const st = await this.fs.stat(p);
          if (st?.isFile) found.push(p);
          continue;
        }
        if (SKIP_DIRS.has(name) || (name.startsWith(".") && name !== ".output")) continue;
        const st = await this.fs.stat(p);
        if (st?.isDirectory) await walk(p, depth + 1);
      }
    };
    for (const r of this.roots) await walk(r, 0);
    found.sort();
    this.scanned = found;
    return found;
  }

  private rootOf(source: string): string | undefined {
    return this.roots.filter((r) => source === r || source.startsWith(`${r}/`)).sort((a, b) => b.length - a.length)[0];
  }

  /** Finds the object for `source` (a normalised absolute path). */
  async find(source: string, profile: Profile): Promise<Discovery> {
    const searched: string[] = [];
    const dir = paths.dirname(source);
    const base = paths.basename(source);
    const stem = base.replace(/\.(c|h)$/, "");
    const name = stem.replace(/\.bpf$/, "");
    const candidates = (d: string): string[] => {
      const list = [paths.join(d, `${stem}.o`)];
      if (!stem.endsWith(".bpf")) list.push(paths.join(d, `${stem}.bpf.o`));
      return list;
    };
    const tryAll = async (list: string[], origin: ObjectOrigin): Promise<Discovery | undefined> => {
      for (const p of list) {
        if (searched.includes(p)) continue;
        searched.push(p);
        const st = await this.fs.stat(p);
        if (st?.isFile && (await this.isBpfObject(p, profile))) return { object: p, origin, searched };
      }
      return undefined;
    };
    const beside = await tryAll(candidates(dir), "beside");
    if (beside) return beside;

    // .output/ and build/ next to the source, in its ancestors up to the workspace root.
    const root = this.rootOf(source);
    const outs: string[] = [];
    for (let d = dir; ; d = paths.dirname(d)) {
      for (const sub of [".output", "build"]) outs.push(...candidates(paths.join(d, sub)));
      if (!root || d === root || paths.dirname(d) === d) break;
    }
    const out = await tryAll(outs, "output-dir");
    if (out) return out;

    if (this.searchPaths.length > 0) {
      const all = await this.workspaceObjects();
      for (const raw of this.searchPaths) {
        const pattern = raw.replace(/\$\{name\}/g, name).replace(/\$\{stem\}/g, stem);
        const abs = paths.isAbsolute(pattern) ? [paths.normalize(pattern)] : this.roots.map((r) => paths.join(r, pattern));
        for (const a of abs) {
          searched.push(a);
          if (!hasGlobChars(a)) {
            const st = await this.fs.stat(a);
            if (st?.isFile) return { object: a, origin: "search-path", searched };
            continue;
          }
          const re = globToRegExp(a);
          const hit = all.find((p) => re.test(p) && (paths.basename(p) === `${stem}.o` || paths.basename(p) === `${name}.bpf.o` || !a.includes("*")));
          const any = hit ?? all.find((p) => re.test(p));
          if (any) return { object: any, origin: "search-path", searched };
        }
      }
    }

    searched.push("objects whose BTF.ext line_info names this file");
    const owner = await this.byLineInfo(source, profile);
    if (owner) return { object: owner, origin: "line-info", searched };
    return { object: undefined, origin: undefined, searched };
  }

  /** False for a user-space ELF object (foo.o built from foo.c by the host compiler). */
  private async isBpfObject(path: string, profile: Profile): Promise<boolean> {
    const c = await this.cache.get(path, profile);
    return c?.info.isBpf ?? false;
  }

  /** The first workspace object whose line_info mentions `source` (objects named like the source first). */
  async byLineInfo(source: string, profile: Profile): Promise<string | undefined> {
    const all = await this.workspaceObjects();
    const stem = paths.basename(source).replace(/\.(c|h)$/, "");
    const ordered = [...all].sort((a, b) => score(b, stem) - score(a, stem));
    for (const p of ordered) {
      const c = await this.cache.get(p, profile);
      if (c && servesSource(c.info, source)) return p;
    }
    return undefined;
  }
}

function score(p: string, stem: string): number {
  return paths.basename(p).startsWith(stem) ? 1 : 0;
}

export function servesSource(info: ObjectInfo, source: string): boolean {
  return info.lineInfoFiles.some((f) => lineInfoNames(f, source));
}
