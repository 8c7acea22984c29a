// Hover content for every corpus object, checked against the ELF symbol table and bpftool's golden skeletons.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STT, parseElf } from "../../server/src/core/elf/elf.js";
import { nodeFileAccessor } from "../../server/src/lsp/files.js";
import { hoverMarkdown, wordAt } from "../../server/src/lsp/hover.js";
import { findDeclaration } from "../../server/src/lsp/locations.js";
import { Workspace } from "../../server/src/lsp/workspace.js";
import { CORPUS, type GoldenProfile, corpusObjects, golden, objectPath, readObject } from "../helpers/golden.js";

const profiles: GoldenProfile[] = ["7.7", "7.1"];

/** The lines of `struct OBJ__IDENT { ... } *IDENT;` in a golden skeleton. */
function datasecBlock(skel: string, ident: string): string[] | undefined {
  const lines = skel.split("\n");
  const start = lines.findIndex((l) => new RegExp(`^\\tstruct \\w+__${ident} \\{$`).test(l));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && l === `\t} *${ident};`);
  return lines.slice(start + 1, end);
}

function offsetAt(text: string, pos: { line: number; character: number }): number {
  const lines = text.split("\n");
  let off = 0;
  for (let i = 0; i < pos.line; i++) off += (lines[i] ?? "").length + 1;
  return off + pos.character;
}

describe.each(profiles)("hover, profile %s", (profile) => {
  const ws = new Workspace(nodeFileAccessor, [CORPUS]);
  ws.updateSettings({ bpftoolVersion: profile });

  it.each(corpusObjects())("%s", async (name) => {
    const loaded = await ws.load(objectPath(name));
    expect(loaded).toBeDefined();
    const info = loaded!.info;
    const c = ws.ctypesFor(info);
    if (!info.hasBtf) {
      expect(c).toBeUndefined();
      return;
    }
    const skel = golden(profile, `${name}.skel.h`);
    const elf = parseElf(readObject(name));
    const sources = info.lineInfoFiles.filter((f) => f.endsWith(".c")).map((f) => join(CORPUS, f));
    const texts = sources.map((s) => readFileSync(s, "utf8"));
    const hoverOf = (word: string): string | undefined => {
      for (const t of texts) {
        const pos = findDeclaration(t, word);
        if (!pos) continue;
        const off = offsetAt(t, pos);
        const w = wordAt(t, off + 1);
        expect(w?.word).toBe(word);
        return hoverMarkdown(info, c!, w!);
      }
      return undefined;
    };

    let checked = 0;
    for (const sec of info.datasecs) {
      if (!sec.ident && sec.reason === undefined) continue; // license, .struct_ops: not data the skeleton maps
      const btfSec = info.btf!.type(sec.id);
      const block = skel && sec.ident ? datasecBlock(skel, sec.ident) : undefined;
      for (const v of sec.vars) {
        const md = hoverOf(v.name);
        if (md === undefined) continue;
        checked++;
        const sym = elf.symbols.find((s) => s.name === v.name && s.type === STT.OBJECT);
        // libbpf takes offsets from the symbol table only when clang left the DATASEC unsized (not linked objects).
        const secinfo = btfSec.kind === "datasec" ? btfSec.vars.find((x) => x.type === v.varId) : undefined;
        const want = btfSec.kind === "datasec" && btfSec.size === 0 ? sym?.value : secinfo?.offset;
        if (want !== undefined && sec.name !== ".kconfig") expect(md, v.name).toContain(`offset ${want}, size ${v.size} byte`);
        const inSkel = !!block?.some((l) => new RegExp(`[ *(]${v.name}(\\[|;|\\))`).test(l));
        if (skel) {
          expect(md.includes(`skel->${sec.ident}->${v.name}`), `${v.name}: skeleton has it: ${inSkel}`).toBe(inSkel);
          if (!inSkel) expect(md).toContain("Not in the skeleton");
        }
      }
    }
    for (const m of info.maps) {
      const md = hoverOf(m.name);
      if (md === undefined) continue;
      checked++;
      expect(md).toContain(`BPF_MAP_TYPE_${m.typeName.toUpperCase()}`);
      expect(md).toContain(`| max_entries | ${m.maxEntries} |`);
      if (skel) {
        expect(skel).toContain(`struct bpf_map *${m.name};`);
        expect(md).toContain(`skel->maps.${m.name}`);
      }
    }
    for (const p of info.programs) {
      const md = hoverOf(p.name);
      if (md === undefined) continue;
      checked++;
      const sym = elf.symbols.find((s) => s.name === p.name && s.type === STT.FUNC);
      expect(md).toContain(`| instructions | ${(sym?.size ?? 0) / 8} |`);
      expect(md).toContain(`SEC(${JSON.stringify(p.section)})`);
      // The BTF prototype follows the SEC line.
      expect(md).toMatch(new RegExp(`SEC\\(".*"\\)\\n\\w[^\\n]*\\b${p.name}\\(`));
      if (skel) {
        expect(skel).toContain(`struct bpf_program *${p.name};`);
        expect(md).toContain(`skel->progs.${p.name}`);
      }
    }
    expect(checked, "no declaration found to hover").toBeGreaterThan(0);
  });
});

describe("hover on types and functions", () => {
  const ws = new Workspace(nodeFileAccessor, [CORPUS]);

  it("struct names show the definition with member offsets and sizes", async () => {
    const info = (await ws.load(objectPath("config_layout")))!.info;
    const btf = info.btf!;
    const id = btf.idsByName("audit_cfg").find((i) => btf.type(i).kind === "struct");
    expect(id, "struct audit_cfg in config_layout").toBeDefined();
    const t = btf.type(id!);
    if (t.kind !== "struct") throw new Error("not a struct");
    const md = hoverMarkdown(info, ws.ctypesFor(info)!, { word: "audit_cfg", start: 0, end: 9, before: "struct" })!;
    expect(md).toContain("```c\nstruct audit_cfg {");
    expect(md).toContain(`size ${t.size} bytes`);
    for (const m of t.members) {
      if (m.bitfieldSize === 0 && m.name !== "") expect(md).toContain(`| \`${m.name}\` |`);
    }
    const last = t.members.at(-1)!;
    expect(md).toContain(`| ${last.bitOffset / 8} |`);
  });

  it("functions show the BTF prototype and linkage", async () => {
    const info = (await ws.load(objectPath("btf_oddities")))!.info;
    const md = hoverMarkdown(info, ws.ctypesFor(info)!, { word: "record_shadow_ids", start: 0, end: 1, before: "int" })!;
    expect(md).toContain("```c\nint record_shadow_ids(void);\n```");
    expect(md).toContain("linkage static");
  });

  it("returns nothing for words the object does not know", async () => {
    const info = (await ws.load(objectPath("config_layout")))!.info;
    expect(hoverMarkdown(info, ws.ctypesFor(info)!, { word: "no_such_thing_here", start: 0, end: 1, before: undefined })).toBeUndefined();
  });
});
