// The layout view's DOM-less model: rows, holes, padding, proportional segments, cache lines; message validation.

import { describe, expect, it } from "vitest";
import type { LayoutNode } from "../../server/src/protocol.js";
import { buildSections, findFocusKey, MAX_CACHE_LINE_MARKS, rowCells } from "../../webview/src/model.js";
import { parseViewMessage } from "../../webview/src/protocol.js";

function node(id: number, over: Partial<LayoutNode>): LayoutNode {
  return { id, kind: "variable", section: ".bss", name: `v${id}`, cType: "int", offset: 0, size: 4, align: 4, cacheLine: 0, cacheLineEnd: 0, ...over };
}

const section = (id: number, name: string, size: number): LayoutNode =>
  node(id, { kind: "section", section: name, name, size, align: 8, cType: "" });

describe("buildSections", () => {
  it("orders rows by offset, keeps server padding and finds holes", () => {
    const s = buildSections(
      [
        section(1, ".bss", 32),
        node(3, { parent: 1, name: "b", cType: "long", offset: 8, size: 8, align: 8 }),
        node(2, { parent: 1, name: "a", offset: 0, size: 4 }),
        node(4, { parent: 1, kind: "padding", name: "", cType: "", offset: 4, size: 4, align: 1 }),
        node(5, { parent: 1, name: "c", offset: 24, size: 4 }),
      ],
      64,
    )[0]!;
    expect(s.rows.map((r) => [r.kind, r.name, r.offset, r.size])).toEqual([
      ["variable", "a", 0, 4],
      ["padding", "", 4, 4],
      ["variable", "b", 8, 8],
      ["hole", "", 16, 8],
      ["variable", "c", 24, 4],
      ["hole", "", 28, 4],
    ]);
    expect(s.paddingBytes).toBe(4);
    expect(s.holeBytes).toBe(12);
    // Segments tile the bar: widths add up to 100% with no gaps.
    let at = 0;
    for (const seg of s.segments) {
      expect(seg.left).toBeCloseTo(at);
      at += seg.width;
    }
    expect(at).toBeCloseTo(100);
    expect(s.cacheLines).toBe(1);
    expect(s.cacheLineMarks).toEqual([]);
  });

  it("draws a boundary every cache line and reports the lines a variable spans", () => {
    const s = buildSections([section(1, ".data", 200), node(2, { parent: 1, offset: 60, size: 8, cType: "long" })], 64)[0]!;
    expect(s.cacheLineMarks.map((m) => m.offset)).toEqual([64, 128, 192]);
    expect(s.cacheLineMarks[0]!.left).toBeCloseTo(32);
    expect(rowCells(s.rows.find((r) => r.kind === "variable")!).line).toBe("0–1");
    expect(s.cacheLines).toBe(4);
  });

  it("does not draw thousands of cache lines for a huge section", () => {
    const s = buildSections([section(1, ".bss", 64 * (MAX_CACHE_LINE_MARKS + 10))], 64)[0]!;
    expect(s.cacheLineMarks).toEqual([]);
    expect(s.cacheLines).toBe(MAX_CACHE_LINE_MARKS + 10);
    expect(s.rows).toHaveLength(1); // one hole: the whole section
  });

  it("survives hostile numbers and orphans", () => {
    const out = buildSections(
      [
        section(1, ".bss", Number.NaN),
        node(2, { parent: 1, offset: -5, size: -1 }),
        node(3, { parent: 1, offset: 2 ** 52, size: 8 }),
        node(4, { parent: 99, name: "orphan" }),
      ],
      0,
    );
    expect(out).toHaveLength(1);
    const s = out[0]!;
    expect(s.rows.every((r) => r.offset >= 0 && r.size >= 0)).toBe(true);
    expect(s.rows.some((r) => r.name === "orphan")).toBe(false);
    for (const seg of s.segments) {
      expect(Number.isFinite(seg.left) && Number.isFinite(seg.width)).toBe(true);
    }
  });

  it("keeps selection keys stable across refreshes and finds focus targets", () => {
    const nodes = [section(1, ".rodata", 8), node(2, { parent: 1, section: ".rodata", name: "cfg", size: 8 })];
    const a = buildSections(nodes, 64);
    const b = buildSections(nodes.map((n) => ({ ...n, id: n.id + 100, ...(n.parent !== undefined ? { parent: n.parent + 100 } : {}) })), 64);
    expect(a[0]!.rows[0]!.key).toBe(b[0]!.rows[0]!.key);
    expect(findFocusKey(a, ".rodata", "cfg")).toBe(a[0]!.rows[0]!.key);
    expect(findFocusKey(a, ".rodata")).toBe(a[0]!.key);
    expect(findFocusKey(a, ".nope")).toBeUndefined();
  });
});

describe("parseViewMessage", () => {
  it.each([
    [{ type: "ready" }, { type: "ready" }],
    [{ type: "open", nodeId: 3 }, { type: "open", nodeId: 3 }],
    [{ type: "open", nodeId: "3" }, undefined],
    [{ type: "open", nodeId: 1.5 }, undefined],
    [{ type: "eval", code: "x" }, undefined],
    [null, undefined],
    ["ready", undefined],
  ])("%j", (input, want) => {
    expect(parseViewMessage(input)).toEqual(want);
  });
});
