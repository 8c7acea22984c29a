// Explorer node models from protocol responses: descriptions, escaping of hostile names, lazy paging of types.

import { describe, expect, it } from "vitest";
import {
  groupTypesByKind,
  mapDescription,
  type NodeModel,
  objectChildren,
  objectNode,
  TYPE_PAGE_SIZE,
  typeKindNodes,
  typeRangeChildren,
  uriBaseName,
  variableDescription,
} from "../../client/src/tree/nodes.js";
import type { MapNode, ObjectSummary, ObjectTree, TypeEntry, VariableNode } from "../../server/src/protocol.js";

const URI = "file:///w/obj/x.bpf.o";

function summary(over: Partial<ObjectSummary> = {}): ObjectSummary {
  return {
    uri: URI,
    path: "/w/obj/x.bpf.o",
    name: "x",
    format: "elf",
    sources: ["file:///w/src/x.bpf.c", "file:///w/src/lib%20a.h"],
    hasBtf: true,
    programCount: 2,
    mapCount: 1,
    datasecCount: 1,
    typeCount: 42,
    mtimeMs: 0,
    size: 100,
    ...over,
  };
}

function variable(over: Partial<VariableNode> = {}): VariableNode {
  return {
    name: "my_pid",
    cType: "const volatile int",
    declaration: "const volatile int my_pid",
    offset: 8,
    size: 4,
    align: 4,
    linkage: "global",
    exposed: true,
    skelAccessor: "skel->rodata->my_pid",
    ...over,
  };
}

function map(over: Partial<MapNode> = {}): MapNode {
  return { name: "events", type: "hash", keyType: "__u32", valueType: "struct event", keySize: 4, valueSize: 16, maxEntries: 1024, flags: 0, pinning: 0, ...over };
}

/** The map without BTF key/value types. */
function untyped(m: MapNode): MapNode {
  const { keyType: _k, valueType: _v, ...rest } = m;
  return rest;
}

function tree(over: Partial<ObjectTree.Result> = {}): ObjectTree.Result {
  return {
    object: summary(),
    programs: [
      {
        section: "kprobe/do_sys_openat2",
        programs: [
          { name: "handle_open", section: "kprobe/do_sys_openat2", progType: "kprobe", insnCount: 12, autoload: true, sleepable: false, skelProg: "skel->progs.handle_open", skelLink: "skel->links.handle_open", location: { uri: "file:///w/src/x.bpf.c", range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } } } },
        ],
      },
    ],
    maps: [map()],
    datasecs: [{ name: ".rodata", size: 12, skelAccessor: "skel->rodata", variables: [variable()] }],
    ...over,
  };
}

function allIds(nodes: NodeModel[], out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(n.id);
    if (n.children) allIds(n.children, out);
  }
  return out;
}

describe("object node", () => {
  it("describes the sources it serves", () => {
    const n = objectNode(summary());
    expect(n.label).toBe("x");
    expect(n.description).toBe("x.bpf.c, lib a.h");
    expect(n.contextValue.split(" ")).toEqual(["object", "skeleton", "layout"]);
  });
  it("offers no skeleton for raw BTF, objects without BTF or broken objects", () => {
    expect(objectNode(summary({ format: "raw-btf", typeCount: 100_000 })).description).toBe("raw BTF · 100000 types");
    expect(objectNode(summary({ hasBtf: false })).contextValue).toBe("object");
    const broken = objectNode(summary({ error: "truncated at offset 12" }));
    expect(broken.contextValue).toBe("object");
    expect(broken.icon).toBe("error");
    expect(broken.tooltip).toContain("truncated at offset 12");
  });
  it("decodes file URI names", () => {
    expect(uriBaseName("file:///a/b%20c.bpf.o")).toBe("b c.bpf.o");
    expect(uriBaseName("file:///a/%E0%A4%A.o")).toBe("%E0%A4%A.o");
  });
});

describe("object children", () => {
  it("has Programs grouped by section, Maps, Data sections and Types", () => {
    const kids = objectChildren(tree(), true);
    expect(kids.map((k) => [k.label, k.description])).toEqual([
      ["Programs", "1"],
      ["Maps", "1"],
      ["Data sections", "1"],
      ["Types", "42"],
    ]);
    const section = kids[0]!.children![0]!;
    expect([section.label, section.description]).toEqual(["kprobe/do_sys_openat2", "kprobe"]);
    const prog = section.children![0]!;
    expect(prog.location?.range.start.line).toBe(9);
    expect(prog.accessor).toBe("skel->progs.handle_open");
    const v = kids[2]!.children![0]!.children![0]!;
    expect([v.label, v.description, v.accessor]).toEqual(["my_pid", "offset 8 · 4 B", "skel->rodata->my_pid"]);
    expect(kids[3]!.children).toBeUndefined(); // types are listed lazily
  });
  it("leaves Types out when the server does not list types", () => {
    expect(objectChildren(tree(), false).map((k) => k.label)).not.toContain("Types");
  });
  it("shows the parser's error instead of the groups", () => {
    const kids = objectChildren(tree({ error: "malformed: bad magic", programs: [], maps: [], datasecs: [] }), true);
    expect(kids).toHaveLength(1);
    expect(kids[0]!.kind).toBe("message");
    expect(kids[0]!.label).toBe("malformed: bad magic");
  });
  it("gives unique ids even when names repeat", () => {
    const t = tree({ maps: [map(), map(), map({ name: "other" })] });
    const ids = allIds(objectChildren(t, true));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("descriptions", () => {
  it.each([
    [map(), "hash, __u32 -> struct event"],
    [untyped(map()), "hash, 4 B -> 16 B"],
    [untyped(map({ type: "ringbuf", keySize: 0, valueSize: 0 })), "ringbuf"],
  ] as [MapNode, string][])("map %#", (m, want) => {
    expect(mapDescription(m)).toBe(want);
  });
  it("variable", () => {
    expect(variableDescription(variable({ offset: 0, size: 16 }))).toBe("offset 0 · 16 B");
  });
});

describe("hostile names", () => {
  const evil = "<img src=x onerror=alert(1)>\n**[x](command:workbench.action.quit)**\u202e";
  it("are plain text in labels and escaped in tooltips", () => {
    const t = tree({
      object: summary({ name: evil }),
      maps: [map({ name: evil, keyType: evil })],
      datasecs: [{ name: evil, size: 4, variables: [variable({ name: evil, declaration: `int ${evil}`, skelAccessor: `skel->bss->${evil}` })] }],
    });
    const o = objectNode(t.object);
    const kids = objectChildren(t, true);
    const m = kids[1]!.children![0]!;
    const v = kids[2]!.children![0]!.children![0]!;
    for (const n of [o, m, v]) {
      expect(n.label).not.toContain("\n");
      expect(n.label).not.toContain("\u202e");
      expect(n.label).toContain("\\x0a");
      // Tooltips are markdown: outside code blocks (literal text), no unescaped HTML tag and no live link syntax.
      const prose = (n.tooltip ?? "").replace(/(`{3,})c\n[\s\S]*?\n\1\n/g, "").replace(/(`+)[^`]*?\1/g, "");
      expect(prose).toContain("img");
      expect(prose).not.toMatch(/(^|[^\\])<img/);
      expect(prose).not.toMatch(/(^|[^\\])\[x(^|[^\\])\]\(command/);
    }
    expect(m.description).not.toContain("\n");
  });
});

describe("types, lazily and in pages", () => {
  function entries(n: number, kind: TypeEntry["kind"] = "struct"): TypeEntry[] {
    return Array.from({ length: n }, (_, i) => ({ id: n - i, name: `t${String(i).padStart(6, "0")}`, kind }));
  }
  it("groups by kind in a fixed order and sorts by name then id", () => {
    const g = groupTypesByKind([
      { id: 3, name: "b", kind: "typedef" },
      { id: 2, name: "a", kind: "struct" },
      { id: 1, name: "a", kind: "struct" },
      { id: 4, name: "z", kind: "enum" },
    ]);
    expect([...g.keys()]).toEqual(["struct", "enum", "typedef"]);
    expect(g.get("struct")!.map((t) => t.id)).toEqual([1, 2]);
    expect(typeKindNodes(URI, g).map((n) => [n.label, n.description])).toEqual([
      ["struct", "2"],
      ["enum", "1"],
      ["typedef", "1"],
    ]);
  });
  it("lists a small kind directly", () => {
    const list = entries(10);
    const rows = typeRangeChildren(URI, "struct", list, { start: 0, end: list.length });
    expect(rows.map((r) => r.kind)).toEqual(Array(10).fill("type"));
    expect(rows[0]!.typeId).toBe(10);
  });
  it("pages a vmlinux-sized kind, creating rows only for the opened page", () => {
    const list = entries(100_001);
    const pages = typeRangeChildren(URI, "struct", list, { start: 0, end: list.length });
    expect(pages.length).toBe(Math.ceil(100_001 / TYPE_PAGE_SIZE));
    expect(pages.every((p) => p.kind === "typePage")).toBe(true);
    expect(pages[0]!.description).toBe(`1–${TYPE_PAGE_SIZE}`);
    expect(pages.at(-1)!.range).toEqual({ start: 100_000, end: 100_001 });
    const rows = typeRangeChildren(URI, "struct", list, pages[1]!.range!);
    expect(rows).toHaveLength(TYPE_PAGE_SIZE);
    expect(rows[0]!.label).toBe(list[TYPE_PAGE_SIZE]!.name);
    const ids = pages.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it("nests pages when there are more pages than fit in one level", () => {
    const list = entries(TYPE_PAGE_SIZE * TYPE_PAGE_SIZE + 1);
    const top = typeRangeChildren(URI, "struct", list, { start: 0, end: list.length });
    expect(top.length).toBeLessThanOrEqual(TYPE_PAGE_SIZE);
    const second = typeRangeChildren(URI, "struct", list, top[0]!.range!);
    expect(second).toHaveLength(TYPE_PAGE_SIZE);
    expect(second.every((p) => p.kind === "typePage")).toBe(true);
  });
  it("clamps ranges", () => {
    expect(typeRangeChildren(URI, "struct", entries(3), { start: -5, end: 99 })).toHaveLength(3);
  });
});
