// Parsed objects cached by path + mtime + size (+ profile), bounded LRU; re-reads half-written files.

import type { Profile } from "../core/profile.js";
import type { FileAccessor } from "./files.js";
import { type ObjectInfo, buildObjectInfo, emptyInfo } from "./model/object-info.js";


/** Largest file the server reads as an object (a vmlinux ELF with DWARF is a few hundred MiB; its BTF a few MiB). */
export const MAX_OBJECT_BYTES = 512 * 1024 * 1024;

const mib = (n: number): string => (n / (1024 * 1024)).toFixed(1);

export interface CachedObject {
  info: ObjectInfo;
  mtimeMs: number;
  size: number;
  /** When the file was last seen unchanged (this.now() clock). */
  checkedAt?: number;
}

export interface ObjectCacheOptions {
  /** Most parsed objects kept (default 32). */
  maxEntries?: number;
  /** Attempts when a file looks half-written (default 5) and the wait between them in ms (default 150). */
  retries?: number;
  retryDelayMs?: number;
  /** A file modified less than this long ago (ms) that fails to parse is assumed to be still being written. */
  freshMs?: number;
  /** Largest file read as an object (default MAX_OBJECT_BYTES). */
  maxObjectBytes?: number;
  /** Trust an entry this long (ms) after its last stat; file events invalidate sooner (default 0: always stat). */
  statTtlMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called with the path of every object read from disk (the server watches its directory). */
  onLoaded?: (path: string) => void;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class ObjectCache {
  private readonly entries = new Map<string, CachedObject>();
  private readonly inflight = new Map<string, Promise<CachedObject | undefined>>();
  private readonly max: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly freshMs: number;
  private readonly statTtlMs: number;
  private readonly maxObjectBytes: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly onLoaded: ((path: string) => void) | undefined;
  /** Number of parses done (for tests and logs). */
  parses = 0;

  constructor(
    private readonly fs: FileAccessor,
    options: ObjectCacheOptions = {},
  ) {
    this.max = options.maxEntries ?? 32;
    this.retries = options.retries ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 150;
    this.freshMs = options.freshMs ?? 2000;
    this.statTtlMs = options.statTtlMs ?? 0;
    this.maxObjectBytes = options.maxObjectBytes ?? MAX_OBJECT_BYTES;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.onLoaded = options.onLoaded;
  }

  private key(path: string, profile: Profile): string {
    return `${profile.name}\u0000${path}`;
  }

  /** The cached parse if it is still current (no I/O besides a stat). */
  async get(path: string, profile: Profile): Promise<CachedObject | undefined> {
    const k = this.key(path, profile);
    const recent = this.entries.get(k);
    if (recent?.checkedAt !== undefined && this.now() - recent.checkedAt < this.statTtlMs) return recent;
    const st = await this.fs.stat(path);
    if (!st?.isFile) {
      this.entries.delete(k);
      return undefined;
    }
    const hit = this.entries.get(k);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) {
      this.entries.delete(k);
      this.entries.set(k, hit); // most recently used goes last
      hit.checkedAt = this.now();
      return hit;
    }
    const running = this.inflight.get(k);
    if (running) return running;
    const p = this.load(path, profile).finally(() => this.inflight.delete(k));
    this.inflight.set(k, p);
    return p;
  }

  /** Cached entry without checking the file (for synchronous hover paths); undefined if never parsed. */
  peek(path: string, profile: Profile): CachedObject | undefined {
    return this.entries.get(this.key(path, profile));
  }

  invalidate(path: string): void {
    for (const k of [...this.entries.keys()]) if (k.endsWith(`\u0000${path}`)) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }

  private async load(path: string, profile: Profile): Promise<CachedObject | undefined> {
    let last: CachedObject | undefined;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      const before = await this.fs.stat(path);
      if (!before?.isFile) return undefined;
      let info: ObjectInfo;
      if (before.size > this.maxObjectBytes) {
        // Never read an arbitrarily large file into the server: objects and raw BTF are megabytes at most.
        info = emptyInfo(path, profile, `${path} is ${mib(before.size)} MiB, over BTF Lens's ${mib(this.maxObjectBytes)} MiB limit for an object`);
        last = { info, mtimeMs: before.mtimeMs, size: before.size, checkedAt: this.now() };
        break;
      }
      try {
        const bytes = await this.fs.readFile(path);
        this.parses++;
        info = buildObjectInfo(path, bytes, profile);
      } catch (e) {
        info = emptyInfo(path, profile, `cannot read ${path}: ${(e as Error).message}`);
      }
      const after = await this.fs.stat(path);
      if (!after?.isFile) return undefined;
      last = { info, mtimeMs: after.mtimeMs, size: after.size, checkedAt: this.now() };
      const changed = after.mtimeMs !== before.mtimeMs || after.size !== before.size;
      const fresh = this.now() - after.mtimeMs < this.freshMs;
      // A file that changed while we read it, or a recent one that does not parse, is probably being written.
      if (!changed && (info.error === undefined || !fresh)) break;
      if (attempt < this.retries) await this.sleep(this.retryDelayMs);
    }
    if (!last) return undefined;
    this.onLoaded?.(path);
    const k = this.key(path, profile);
    this.entries.delete(k);
    this.entries.set(k, last);
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return last;
  }
}
