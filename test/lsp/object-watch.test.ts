// ObjectDirWatcher on the in-memory file system: object events only, one watch per directory, a bounded number of them.

import { describe, expect, it } from "vitest";
import { MemoryFileAccessor } from "../../server/src/lsp/files.js";
import { ObjectDirWatcher } from "../../server/src/lsp/object-watch.js";

describe("ObjectDirWatcher", () => {
  it("reports object files of watched directories, nothing else", () => {
    const fs = new MemoryFileAccessor();
    const seen: string[] = [];
    const w = new ObjectDirWatcher(fs, (p) => seen.push(p));
    w.watchObjectDir("/ws/build/a.bpf.o");
    w.watchObjectDir("/ws/build/b.bpf.o"); // same directory: still one watch
    expect(fs.watchedDirs).toEqual(["/ws/build"]);
    fs.write("/ws/build/a.bpf.o", "x");
    fs.write("/ws/build/vmlinux.btf", "x");
    fs.write("/ws/build/a.bpf.c", "x");
    fs.write("/ws/other/c.bpf.o", "x");
    fs.delete("/ws/build/a.bpf.o");
    expect(seen).toEqual(["/ws/build/a.bpf.o", "/ws/build/vmlinux.btf", "/ws/build/a.bpf.o"]);
    w.dispose();
    expect(fs.watchedDirs).toEqual([]);
  });

  it("keeps at most maxDirs directories, dropping the least recently used", () => {
    const fs = new MemoryFileAccessor();
    const w = new ObjectDirWatcher(fs, () => {}, 2);
    w.watchObjectDir("/a/x.o");
    w.watchObjectDir("/b/x.o");
    w.watchObjectDir("/a/y.o"); // /a is used again
    w.watchObjectDir("/c/x.o");
    expect(w.watched.sort()).toEqual(["/a", "/c"]);
    expect(fs.watchedDirs.sort()).toEqual(["/a", "/c"]);
  });

  it("does nothing on a file system that cannot watch", () => {
    const fs = new MemoryFileAccessor();
    const noWatch = { stat: fs.stat.bind(fs), readFile: fs.readFile.bind(fs), readDir: fs.readDir.bind(fs) };
    const w = new ObjectDirWatcher(noWatch, () => {});
    w.watchObjectDir("/a/x.o");
    expect(w.watched).toEqual([]);
  });
});
