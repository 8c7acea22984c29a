// The object cache: keyed by path + mtime + size, LRU-bounded, and patient with half-written files.

import { describe, expect, it } from "vitest";
import { PROFILES } from "../../server/src/core/profile.js";
import { ObjectCache } from "../../server/src/lsp/cache.js";
import { MemoryFileAccessor } from "../../server/src/lsp/files.js";
import { readObject } from "../helpers/golden.js";

const P = PROFILES["7.7"];

describe("ObjectCache", () => {
  it("parses once while the file is unchanged and again after it changes", async () => {
    const fs = new MemoryFileAccessor();
    fs.write("/a.o", readObject("tcpconn"), 5);
    const cache = new ObjectCache(fs, { retries: 0 });
    const a = await cache.get("/a.o", P);
    const b = await cache.get("/a.o", P);
    expect(a).toBe(b);
    expect(cache.parses).toBe(1);
    fs.write("/a.o", readObject("icmp_filter"), 6);
    const c = await cache.get("/a.o", P);
    expect(cache.parses).toBe(2);
    expect(c?.info.programs.map((p) => p.name)).not.toEqual(a?.info.programs.map((p) => p.name));
  });

  it("does not read a file over the size limit: one clean error instead", async () => {
    const fs = new MemoryFileAccessor();
    fs.write("/big.o", readObject("tcpconn"), 5);
    const cache = new ObjectCache(fs, { retries: 0, maxObjectBytes: 1024 });
    const got = await cache.get("/big.o", P);
    expect(cache.parses).toBe(0);
    expect(got?.info.error).toMatch(/over BTF Lens's 0\.0 MiB limit/);
    expect(got?.info.programs).toEqual([]);
  });

  it("evicts the least recently used entry beyond its bound", async () => {
    const fs = new MemoryFileAccessor();
    for (const n of ["a", "b", "c"]) fs.write(`/${n}.o`, readObject("icmp_filter"), 5);
    const cache = new ObjectCache(fs, { maxEntries: 2, retries: 0 });
    await cache.get("/a.o", P);
    await cache.get("/b.o", P);
    await cache.get("/a.o", P); // a is now the most recent
    await cache.get("/c.o", P); // evicts b
    expect(cache.size).toBe(2);
    expect(cache.peek("/a.o", P)).toBeDefined();
    expect(cache.peek("/b.o", P)).toBeUndefined();
    expect(cache.peek("/c.o", P)).toBeDefined();
  });

  it("retries a freshly written file that does not parse yet (half-written), then gets the full one", async () => {
    const fs = new MemoryFileAccessor();
    const full = readObject("tcpconn");
    const now = 10_000_000;
    fs.write("/a.o", full.subarray(0, 200), now - 10); // linker still writing
    let sleeps = 0;
    const cache = new ObjectCache(fs, {
      now: () => now,
      retryDelayMs: 1,
      sleep: async () => {
        sleeps++;
        if (sleeps === 2) fs.write("/a.o", full, now - 5);
      },
    });
    const got = await cache.get("/a.o", P);
    expect(sleeps).toBe(2);
    expect(got?.info.error).toBeUndefined();
    expect(got?.info.programs.length).toBeGreaterThan(0);
  });

  it("keeps the error of an old broken file without retrying", async () => {
    const fs = new MemoryFileAccessor();
    fs.write("/a.o", new Uint8Array([1, 2, 3, 4]), 1);
    let sleeps = 0;
    const cache = new ObjectCache(fs, { now: () => 1e9, sleep: async () => void sleeps++ });
    const got = await cache.get("/a.o", P);
    expect(sleeps).toBe(0);
    expect(got?.info.error).toMatch(/unknown magic/);
  });
});
