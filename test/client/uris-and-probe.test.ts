// Virtual document URIs, Find Type ranking and the e2e probe's JSON encoding.

import { describe, expect, it } from "vitest";
import { decodeArg, encodeValue, type ProbeFactory, type ProbeKinds } from "../../client/src/probe-json.js";
import { cComment, parseSkeletonDoc, parseTypeDoc, skeletonDocPath, typeDocPath } from "../../client/src/skeleton-uri.js";
import { rankTypes } from "../../client/src/type-rank.js";
import type { TypeEntry } from "../../server/src/protocol.js";

describe("skeleton document URIs", () => {
  it("round-trip object path and kind", () => {
    const p = skeletonDocPath("/abs/x.bpf.o", "x.skel.h");
    expect(p).toBe("/abs/x.bpf.o/x.skel.h");
    expect(parseSkeletonDoc(p, "")).toEqual({ objectPath: "/abs/x.bpf.o", kind: "skeleton" });
    expect(parseSkeletonDoc("/c:/w/x.bpf.o/x.subskel.h", "name=rq")).toEqual({ objectPath: "/c:/w/x.bpf.o", kind: "subskeleton", name: "rq" });
    expect(parseSkeletonDoc("/abs/x.bpf.o/x.h", "")).toBeUndefined();
    expect(parseSkeletonDoc("x.skel.h", "")).toBeUndefined();
  });
  it("type documents carry the id in the query and a C-like name", () => {
    const p = typeDocPath("/abs/vmlinux", "struct", "task/struct");
    expect(p).toBe("/abs/vmlinux/struct task_struct.h");
    expect(parseTypeDoc(p, "id=42")).toEqual({ objectPath: "/abs/vmlinux", id: 42 });
    expect(parseTypeDoc(p, "id=x")).toBeUndefined();
    expect(parseTypeDoc(p, "id=0")).toBeUndefined();
  });
  it("error comments cannot be closed by the message", () => {
    expect(cComment("bad */ int x; /*")).toBe("/* bad * / int x; /* */\n");
  });
});

describe("rankTypes", () => {
  const t = (id: number, name: string): TypeEntry => ({ id, name, kind: "struct" });
  const all = [t(1, "my_task"), t(2, "task_struct"), t(3, "task"), t(4, "sk_buff"), t(5, "TASK_X")];
  it("puts exact, then prefix, then substring matches", () => {
    expect(rankTypes(all, "task", 10).map((x) => x.id)).toEqual([3, 2, 5, 1]);
  });
  it("limits the result and returns the head for an empty query", () => {
    expect(rankTypes(all, "task", 2)).toHaveLength(2);
    expect(rankTypes(all, "  ", 3).map((x) => x.id)).toEqual([1, 2, 3]);
  });
  // Speed is the benchmark's business (npm run bench), not a timed test: here, the answers on a vmlinux-sized list.
  it("ranks a vmlinux-sized list", () => {
    const big = Array.from({ length: 150_000 }, (_, i) => t(i + 1, `type_${i}_name`));
    expect(rankTypes(big, "type_1_name", 5)[0]?.id).toBe(2);
    expect(rankTypes(big, "zzz", 200)).toHaveLength(0);
    expect(rankTypes(big, "name", 200)).toHaveLength(200);
  });
});

describe("probe JSON", () => {
  class U {
    constructor(readonly s: string) {}
    toString() {
      return this.s;
    }
  }
  class Md {
    constructor(readonly value: string) {}
    supportHtml = false;
    isTrusted = false;
  }
  class Pos {
    constructor(
      readonly line: number,
      readonly character: number,
    ) {}
  }
  class Rng {
    constructor(
      readonly start: Pos,
      readonly end: Pos,
    ) {}
  }
  const f: ProbeFactory = {
    file: (p) => new U(`file://${p}`),
    parse: (s) => new U(s),
    position: (l, c) => new Pos(l, c),
    range: (a, b, c, d) => new Rng(new Pos(a, b), new Pos(c, d)),
  };
  const k: ProbeKinds = {
    isUri: (v) => v instanceof U,
    isMarkdown: (v) => v instanceof Md,
    isPosition: (v) => v instanceof Pos,
    isRange: (v) => v instanceof Rng,
  };
  it("decodes arguments as the e2e contract says", () => {
    expect(String(decodeArg({ $uri: "/abs/x.bpf.c" }, f))).toBe("file:///abs/x.bpf.c");
    expect(String(decodeArg({ $uri: "btf-lens-skeleton:/abs/x.bpf.o/x.skel.h" }, f))).toBe("btf-lens-skeleton:/abs/x.bpf.o/x.skel.h");
    expect(String(decodeArg({ $uri: "C:/w/x.c" }, f))).toBe("file://C:/w/x.c");
    expect(decodeArg({ $position: [12, 20] }, f)).toEqual(new Pos(12, 20));
    expect(decodeArg({ $range: [1, 2, 3, 4] }, f)).toEqual(new Rng(new Pos(1, 2), new Pos(3, 4)));
    expect(decodeArg({ other: 1 }, f)).toEqual({ other: 1 });
    expect(decodeArg(7, f)).toBe(7);
  });
  it("encodes hovers and locations", () => {
    const hover = { contents: [new Md("**x**")], range: new Rng(new Pos(1, 2), new Pos(1, 5)), fn: () => 1 };
    expect(encodeValue([hover], k)).toEqual([
      {
        contents: [{ $markdown: "**x**", supportHtml: false, isTrusted: false }],
        range: { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } },
      },
    ]);
    expect(encodeValue({ uri: new U("file:///a") }, k)).toEqual({ uri: { $uri: "file:///a" } });
  });
  it("limits depth (cyclic values)", () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => JSON.stringify(encodeValue(a, k))).not.toThrow();
  });
});
