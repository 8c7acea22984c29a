// Hostile names from an object never become markup: markdown helpers and hovers on a crafted BTF.

import { describe, expect, it } from "vitest";
import { MemoryFileAccessor } from "../../server/src/lsp/files.js";
import { hoverMarkdown } from "../../server/src/lsp/hover.js";
import { MAX_BLOCK_CHARS, MAX_BLOCK_LINES, code, codeBlock, text } from "../../server/src/lsp/markdown.js";
import { Workspace } from "../../server/src/lsp/workspace.js";
import { BtfBuilder } from "../helpers/btf-writer.js";

const HOSTILE = [
  "<img src=x onerror=alert(1)>",
  "```\n<script>alert(1)</script>\n```",
  "[click](command:workbench.action.terminal.new)",
  "**bold** _it_ `tick` | pipe",
  "a\u202eevil\u0000\u0007",
];

/** What markdown would render as markup: everything outside code blocks and code spans. */
function outsideCode(md: string): string {
  let out = md;
  // Fenced blocks: a fence of N backticks is closed only by N or more backticks on their own line.
  out = out.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1`*$/gm, "");
  // Code spans: a run of N backticks up to the next run of exactly N backticks.
  out = out.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, "");
  return out;
}

describe("markdown helpers", () => {
  it.each(HOSTILE)("text() leaves no markup in %j", (s) => {
    const t = text(s);
    expect(t).not.toMatch(/<|>|\n|\u202e|\u0000/);
    expect(t).not.toMatch(/(^|[^\\])[[\]()`*_|]/);
  });

  it.each(HOSTILE)("code() cannot be closed early by %j", (s) => {
    const c = code(s);
    expect(outsideCode(c)).toBe("");
    expect(c).not.toContain("\n");
  });

  it.each(HOSTILE)("codeBlock() cannot be closed early by %j", (s) => {
    const b = codeBlock(`struct x {\n\tint ${s};\n};`);
    expect(outsideCode(b)).toBe("");
  });
});

describe("hover on a BTF with hostile names", () => {
  it("keeps every hostile name inside code", async () => {
    const b = new BtfBuilder();
    const int = b.int("int", 4, { signed: true });
    const members = HOSTILE.map((name, i) => ({ name, type: int, bitOffset: i * 32 }));
    b.struct("evil", 4 * HOSTILE.length, members);
    const ptr = b.ptr(int);
    b.typedef("evil_t", ptr);
    b.struct(HOSTILE[0] as string, 4, [{ name: "x", type: int, bitOffset: 0 }]);
    const fs = new MemoryFileAccessor();
    fs.write("/ws/evil.bpf.o", b.encode());
    const ws = new Workspace(fs, ["/ws"]);
    const info = (await ws.load("/ws/evil.bpf.o"))!.info;
    expect(info.error).toBeUndefined();
    const c = ws.ctypesFor(info)!;
    for (const word of ["evil", "evil_t"]) {
      const md = hoverMarkdown(info, c, { word, start: 0, end: word.length, before: word === "evil" ? "struct" : undefined });
      expect(md, word).toBeDefined();
      const outside = outsideCode(md!);
      expect(outside, word).not.toMatch(/<|\]\(|\*\*bold/);
    }
  });
});

describe("hover size", () => {
  it("cuts a huge definition to what a popup can show and says how much is left out", () => {
    const body = `struct huge {\n${"\tlong: 64;\n".repeat(100_000)}};`;
    const b = codeBlock(body);
    expect(b.split("\n").length).toBeLessThanOrEqual(MAX_BLOCK_LINES + 3);
    expect(b.length).toBeLessThan(MAX_BLOCK_CHARS + 200);
    expect(b).toMatch(/\/\* \.\.\. \d+ more lines, \d+ more characters/);
  });
  it("leaves a normal definition whole", () => {
    const body = "struct s {\n\tint a;\n};";
    expect(codeBlock(body)).toBe("```c\nstruct s {\n\tint a;\n};\n```");
  });
});
