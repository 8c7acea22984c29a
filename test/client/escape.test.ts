// Escaping of untrusted names for tree labels, tooltips (markdown) and code blocks.

import { describe, expect, it } from "vitest";
import { label, mdCode, mdCodeBlock, mdText, truncate, visible } from "../../client/src/escape.js";

describe("visible", () => {
  it.each([
    ["plain_name", "plain_name"],
    ["a\nb", "a\\x0ab"],
    ["tab\there", "tab\\x09here"],
    ["nul\u0000", "nul\\x00"],
    ["del\u007f", "del\\x7f"],
    ["c1\u009b", "c1\\x9b"],
    ["rtl\u202eevil", "rtl\\u{202e}evil"],
    ["zw\u200bsp", "zw\\u{200b}sp"],
    ["bom\ufeff", "bom\\u{feff}"],
    ["ünïcode ok", "ünïcode ok"],
    // Bytes that are not UTF-8 (decoded losslessly as U+DC80..U+DCFF) show as those bytes; real pairs stay.
    ["cfg\udcffversion", "cfg\\xffversion"],
    ["\udcc3(abel", "\\xc3(abel"],
    ["pair \u{10080} kept", "pair \u{10080} kept"],
  ])("%j -> %j", (input, want) => {
    expect(visible(input)).toBe(want);
  });
});

describe("label", () => {
  it("bounds the length of huge names", () => {
    const l = label("x".repeat(10_000));
    expect(l.length).toBe(200);
    expect(l.endsWith("…")).toBe(true);
  });
  it("keeps short names", () => {
    expect(truncate("abc", 3)).toBe("abc");
    expect(truncate("abcd", 3)).toBe("ab…");
  });
});

describe("mdText", () => {
  it("escapes every markdown and HTML metacharacter", () => {
    const hostile = "<img src=x onerror=alert(1)> **bold** [link](command:evil) `code` # h _i_ ~s~ | t \\";
    const md = mdText(hostile);
    // No unescaped punctuation remains: every ASCII punctuation character is preceded by a backslash,
    // except <, > and &, which become entities.
    const unescaped = md.replace(/&(lt|gt|amp);/g, "").replace(/\\[!-/:-@[-`{-~]/g, "").match(/[!-/:-@[-`{-~]/g);
    expect(unescaped).toBeNull();
    expect(md).not.toMatch(/[<>]/);
    expect(md).toContain("&lt;img");
    expect(md).toContain("\\[link\\]\\(command\\:evil\\)");
  });
  it("makes newlines visible so a name cannot start a new markdown block", () => {
    expect(mdText("a\n# b")).toBe("a\\\\x0a\\# b");
  });
});

describe("mdCode / mdCodeBlock", () => {
  it("uses a delimiter longer than any backtick run inside", () => {
    expect(mdCode("a`b")).toBe("``a`b``");
    expect(mdCode("``x")).toBe("``` ``x ```");
    expect(mdCode("plain")).toBe("`plain`");
  });
  it("cannot be closed early by content", () => {
    const block = mdCodeBlock("c", "int x;\n```\n<script>alert(1)</script>\n````");
    const fence = block.split("\n")[0]!.replace(/c$/, "");
    expect(fence).toBe("`````");
    const lines = block.trimEnd().split("\n");
    expect(lines[lines.length - 1]).toBe(fence);
    // The content's own fences are shorter than the block's.
    expect(lines.slice(1, -1).every((l) => !l.startsWith(fence))).toBe(true);
  });
  it("sanitises the language id and keeps tabs and newlines in code", () => {
    expect(mdCodeBlock("c\n<x>", "a\tb\nc")).toBe("```cx\na\tb\nc\n```\n");
  });
});
