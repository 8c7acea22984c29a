// Object discovery for BPF C sources against an in-memory file tree: beside, .output/build, globs, line_info.

import { describe, expect, it } from "vitest";
import { PROFILES } from "../../server/src/core/profile.js";
import { ObjectCache } from "../../server/src/lsp/cache.js";
import { ObjectIndex, isBpfSource, lineInfoNames } from "../../server/src/lsp/discovery.js";
import { MemoryFileAccessor } from "../../server/src/lsp/files.js";
import { Workspace } from "../../server/src/lsp/workspace.js";
import { readObject } from "../helpers/golden.js";

const P = PROFILES["7.7"];

function setup(files: Record<string, Uint8Array | string>, searchPaths: string[] = []): { fs: MemoryFileAccessor; index: ObjectIndex } {
  const fs = new MemoryFileAccessor();
  for (const [p, d] of Object.entries(files)) fs.write(p, d);
  const index = new ObjectIndex(fs, new ObjectCache(fs));
  index.roots = ["/ws"];
  index.searchPaths = searchPaths;
  return { fs, index };
}

describe("isBpfSource", () => {
  it.each([
    ["/ws/a.bpf.c", "", true],
    ["/ws/a.c", 'SEC("xdp") int f(void *c) { return 0; }', true],
    ["/ws/a.c", "#include <bpf/bpf_helpers.h>\n", true],
    ["/ws/a.c", '#include "bpf_helpers.h"\n', true],
    ["/ws/a.c", "int main(void) { return 0; }\n", false],
    ["/ws/a.py", "SEC(", false],
  ])("%s %j -> %s", (path, text, want) => {
    expect(isBpfSource(path, text)).toBe(want);
  });
});

describe("lineInfoNames", () => {
  it.each([
    ["./src/foo.bpf.c", "/ws/src/foo.bpf.c", true],
    ["src/foo.bpf.c", "/ws/src/foo.bpf.c", true],
    ["/ws/src/foo.bpf.c", "/ws/src/foo.bpf.c", true],
    ["/other/src/foo.bpf.c", "/ws/src/foo.bpf.c", false],
    ["./src/foo.bpf.c", "/ws/src/xfoo.bpf.c", false],
    ["../lib/foo.bpf.c", "/ws/lib/foo.bpf.c", true],
  ])("%s names %s: %s", (f, s, want) => {
    expect(lineInfoNames(f, s)).toBe(want);
  });
});

describe("ObjectIndex.find", () => {
  it("prefers the object beside the source", async () => {
    const { index } = setup({ "/ws/src/foo.bpf.c": "", "/ws/src/foo.bpf.o": "x", "/ws/src/.output/foo.bpf.o": "y" });
    const d = await index.find("/ws/src/foo.bpf.c", P);
    expect(d.object).toBe("/ws/src/foo.bpf.o");
    expect(d.origin).toBe("beside");
  });

  it("skips a user-space object beside a C file and takes the BPF one in .output/", async () => {
    const x86 = new Uint8Array(readObject("tcpconn"));
    x86[18] = 62; // e_machine = EM_X86_64
    const { index } = setup({ "/ws/src/foo.c": 'SEC("xdp")', "/ws/src/foo.o": x86, "/ws/src/.output/foo.bpf.o": readObject("tcpconn") });
    const d = await index.find("/ws/src/foo.c", P);
    expect(d.object).toBe("/ws/src/.output/foo.bpf.o");
  });

  it("looks in .output/ then build/, in ancestors up to the root", async () => {
    const a = setup({ "/ws/src/foo.bpf.c": "", "/ws/src/.output/foo.bpf.o": "y", "/ws/build/foo.bpf.o": "z" });
    expect((await a.index.find("/ws/src/foo.bpf.c", P)).object).toBe("/ws/src/.output/foo.bpf.o");
    const b = setup({ "/ws/src/foo.bpf.c": "", "/ws/build/foo.bpf.o": "z" });
    const d = await b.index.find("/ws/src/foo.bpf.c", P);
    expect(d.object).toBe("/ws/build/foo.bpf.o");
    expect(d.origin).toBe("output-dir");
    expect(d.searched).toContain("/ws/src/.output/foo.bpf.o");
  });

  it("uses btfLens.objectSearchPaths globs with the name placeholder", async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the setting's own ${name} placeholder
    const { index } = setup({ "/ws/src/foo.bpf.c": "", "/ws/out/x86/foo.bpf.o": "1", "/ws/out/x86/bar.bpf.o": "2" }, ["out/**/${name}.bpf.o"]);
    const d = await index.find("/ws/src/foo.bpf.c", P);
    expect(d.object).toBe("/ws/out/x86/foo.bpf.o");
    expect(d.origin).toBe("search-path");
  });

  it("finds a linked object through BTF.ext line_info (one object, several sources)", async () => {
    // libstats.bpf.o is the static link of libstats_a.bpf.o and libstats_b.bpf.o; line_info names both sources.
    const { index } = setup({
      "/ws/src/libstats_a.bpf.c": "",
      "/ws/src/libstats_b.bpf.c": "",
      "/ws/obj/libstats.bpf.o": readObject("libstats"),
      "/ws/obj/unrelated.bpf.o": readObject("tcpconn"),
    });
    for (const s of ["/ws/src/libstats_a.bpf.c", "/ws/src/libstats_b.bpf.c"]) {
      const d = await index.find(s, P);
      expect(d.object, s).toBe("/ws/obj/libstats.bpf.o");
      expect(d.origin).toBe("line-info");
    }
  });

  it("says where it looked when nothing is found", async () => {
    const { index } = setup({ "/ws/src/foo.bpf.c": "", "/ws/obj/other.bpf.o": readObject("tcpconn") });
    const d = await index.find("/ws/src/foo.bpf.c", P);
    expect(d.object).toBeUndefined();
    expect(d.searched).toEqual(
      expect.arrayContaining(["/ws/src/foo.bpf.o", "/ws/src/.output/foo.bpf.o", "/ws/build/foo.bpf.o"]),
    );
    expect(d.searched.at(-1)).toMatch(/line_info/);
  });
});

describe("Workspace.objects", () => {
  it("lists BPF objects and leaves out user-space ELF objects", async () => {
    const fs = new MemoryFileAccessor();
    const x86 = new Uint8Array(readObject("tcpconn"));
    x86[18] = 62; // e_machine = EM_X86_64
    x86[19] = 0;
    fs.write("/ws/tcpconn.bpf.o", readObject("tcpconn"));
    fs.write("/ws/tcpconn.o", x86);
    const ws = new Workspace(fs, ["/ws"]);
    const list = await ws.objects();
    expect(list.objects.map((o) => o.path)).toEqual(["/ws/tcpconn.bpf.o"]);
    expect((await ws.load("/ws/tcpconn.o"))?.info.error).toMatch(/not a BPF object/);
    await ws.openFile("/ws/tcpconn.o");
    expect((await ws.objects()).objects.map((o) => o.path)).toContain("/ws/tcpconn.o");
  });
});

describe("Workspace diagnostics inputs", () => {
  it("reports a malformed object without throwing, and recovers when it is rebuilt", async () => {
    const fs = new MemoryFileAccessor();
    fs.write("/ws/a.bpf.c", "int x;\n");
    fs.write("/ws/a.bpf.o", new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), 1); // truncated ELF, old mtime
    const ws = new Workspace(fs, ["/ws"], { retries: 0 });
    const bad = await ws.load("/ws/a.bpf.o");
    expect(bad?.info.error).toMatch(/ELF header/);
    fs.write("/ws/a.bpf.o", readObject("tcpconn"));
    const good = await ws.load("/ws/a.bpf.o");
    expect(good?.info.error).toBeUndefined();
    expect(good?.info.programs.length).toBeGreaterThan(0);
  });
});
