// The server's only door to the file system: an interface the object index, the cache and the handlers use, so that
// tests can run them against an in-memory tree.

import { promises as fsp, watch } from "node:fs";
import * as nodePath from "node:path";

export interface FileStat {
  mtimeMs: number;
  size: number;
  isFile: boolean;
  isDirectory: boolean;
}

export interface FileAccessor {
  /** Stat, or undefined when the path does not exist (or cannot be read). */
  stat(path: string): Promise<FileStat | undefined>;
  readFile(path: string): Promise<Uint8Array>;
  /** Entry names of a directory; [] when it does not exist. */
  readDir(path: string): Promise<string[]>;
  /**
   * Calls `onEvent(name)` when entry `name` of directory `dir` is created, changed, renamed or
   * deleted; returns the function that stops watching, or undefined when `dir` cannot be watched.
   */
  watchDir?(dir: string, onEvent: (name: string) => void): (() => void) | undefined;
}

/** The real file system. Paths are absolute OS paths. */
export const nodeFileAccessor: FileAccessor = {
  async stat(path) {
    try {
      const s = await fsp.stat(path);
      return { mtimeMs: s.mtimeMs, size: s.size, isFile: s.isFile(), isDirectory: s.isDirectory() };
    } catch {
      return undefined;
    }
  },
  async readFile(path) {
    const b = await fsp.readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  },
  async readDir(path) {
    try {
      return await fsp.readdir(path);
    } catch {
      return [];
    }
  },
  watchDir(dir, onEvent) {
    try {
      // Not persistent: watching must never keep the server alive. Errors (the directory removed,
      // the inotify limit) end the watch; objects are still re-checked on every request.
      const w = watch(dir, { persistent: false }, (_type, name) => {
        if (name) onEvent(String(name));
      });
      w.on("error", () => w.close());
      return () => w.close();
    } catch {
      return undefined;
    }
  },
};

/** An in-memory tree for tests: files by absolute POSIX path. */
export class MemoryFileAccessor implements FileAccessor {
  readonly files = new Map<string, { data: Uint8Array; mtimeMs: number }>();
  private clock = 1_000_000;
  private readonly watchers = new Map<string, Set<(name: string) => void>>();

  write(path: string, data: Uint8Array | string, mtimeMs?: number): void {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    this.clock += 1000;
    this.files.set(path, { data: bytes, mtimeMs: mtimeMs ?? this.clock });
    this.notify(path);
  }
  delete(path: string): void {
    this.files.delete(path);
    this.notify(path);
  }
  watchDir(dir: string, onEvent: (name: string) => void): () => void {
    let set = this.watchers.get(dir);
    if (!set) this.watchers.set(dir, (set = new Set()));
    set.add(onEvent);
    return () => set.delete(onEvent);
  }
  /** Directories being watched (for tests). */
  get watchedDirs(): string[] {
    return [...this.watchers].filter(([, s]) => s.size > 0).map(([d]) => d);
  }
  private notify(path: string): void {
    for (const f of this.watchers.get(paths.dirname(path)) ?? []) f(paths.basename(path));
  }
  async stat(path: string): Promise<FileStat | undefined> {
    const f = this.files.get(path);
    if (f) return { mtimeMs: f.mtimeMs, size: f.data.length, isFile: true, isDirectory: false };
    const prefix = path.endsWith("/") ? path : `${path}/`;
    for (const k of this.files.keys()) {
      if (k.startsWith(prefix)) return { mtimeMs: 0, size: 0, isFile: false, isDirectory: true };
    }
    return undefined;
  }
  async readFile(path: string): Promise<Uint8Array> {
    const f = this.files.get(path);
    if (!f) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
    return f.data;
  }
  async readDir(path: string): Promise<string[]> {
    const prefix = path.endsWith("/") ? path : `${path}/`;
    const names = new Set<string>();
    for (const k of this.files.keys()) {
      if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split("/")[0] ?? "");
    }
    names.delete("");
    return [...names].sort();
  }
}

/** POSIX-style path helpers used with either accessor (the server normalises Windows paths to forward slashes). */
export const paths = {
  join: (...parts: string[]): string => nodePath.posix.join(...parts),
  dirname: (p: string): string => nodePath.posix.dirname(p),
  basename: (p: string): string => nodePath.posix.basename(p),
  normalize: (p: string): string => nodePath.posix.normalize(p.replace(/\\/g, "/")),
  isAbsolute: (p: string): boolean => p.startsWith("/") || /^[A-Za-z]:\//.test(p),
  relative: (from: string, to: string): string => nodePath.posix.relative(from, to),
};
