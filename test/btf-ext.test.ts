// .BTF.ext parsing on every corpus object: func_info points at FUNCs at their symbols, line_info names our sources.

import { describe, expect, it } from "vitest";
import { loadBtf, loadBtfExt } from "../server/src/core/btf/load.js";
import { STT } from "../server/src/core/elf/elf.js";
import { parseBtfExt } from "../server/src/core/btf/ext.js";
import { BtfLensError } from "../server/src/core/errors.js";
import { corpusObjects, readObject } from "./helpers/golden.js";

const withBtf = corpusObjects().filter((n) => n !== "icmp_filter_nobtf");

describe("BTF.ext", () => {
  it.each(withBtf)("%s: func_info matches FUNC types and function symbols", (name) => {
    const loaded = loadBtf(readObject(name));
    const ext = loadBtfExt(loaded);
    expect(ext).toBeDefined();
    const elf = loaded.elf!;
    let funcs = 0;
    for (const sec of ext!.funcInfo) {
      const shdr = elf.sectionByName(sec.section);
      expect(shdr, `section ${sec.section}`).toBeDefined();
      for (const fi of sec.records) {
        const t = loaded.btf.type(fi.typeId);
        expect(t.kind).toBe("func");
        const sym = elf.symbols.find((s) => s.type === STT.FUNC && s.shndx === shdr!.index && s.value === fi.insnOff);
        expect(sym?.name, `symbol at ${sec.section}+${fi.insnOff}`).toBe(t.name);
        funcs++;
      }
    }
    expect(funcs).toBeGreaterThan(0);
  });

  it.each(withBtf)("%s: line_info names source files and sane lines", (name) => {
    const loaded = loadBtf(readObject(name));
    const ext = loadBtfExt(loaded)!;
    const files = new Set(ext.lineInfo.flatMap((s) => s.records.map((l) => l.fileName)));
    expect([...files].some((f) => f.endsWith(".bpf.c"))).toBe(true);
    const recs = ext.lineInfo.flatMap((s) => s.records);
    expect(recs.filter((l) => l.lineNum > 0).length).toBeGreaterThan(recs.length / 2);
    for (const l of recs) expect(l.fileName).toMatch(/\.(c|h)$/);
  });

  it("tcp_state_bits has CO-RE relocations with access strings", () => {
    const loaded = loadBtf(readObject("tcp_state_bits"));
    const ext = loadBtfExt(loaded)!;
    const relos = ext.coreRelos.flatMap((s) => s.records);
    expect(relos.length).toBeGreaterThan(10);
    for (const r of relos) expect(r.accessStr).toMatch(/^\d+(:\d+)*$/);
  });

  it("big-endian object decodes like its little-endian twin (same functions, same source lines)", () => {
    // Code generation differs between byte orders (bitfield access), so compare what must not differ.
    const le = loadBtfExt(loadBtf(readObject("config_layout")))!;
    const be = loadBtfExt(loadBtf(readObject("config_layout_be")))!;
    expect(be.funcInfo).toEqual(le.funcInfo);
    const lines = (x: typeof le) => [...new Set(x.lineInfo.flatMap((s) => s.records.map((l) => `${l.fileName}:${l.lineNum}`)))].sort();
    expect(lines(be)).toEqual(lines(le));
  });

  it("truncated .BTF.ext raises BtfLensError at every cut", () => {
    const loaded = loadBtf(readObject("execsnoop_lite"));
    const sec = loaded.elf!.sectionByName(".BTF.ext")!;
    for (let cut = 0; cut < sec.data.length; cut += 7) {
      try {
        parseBtfExt(sec.data.subarray(0, cut), loaded.btf, sec.offset);
      } catch (e) {
        expect(e).toBeInstanceOf(BtfLensError);
      }
    }
  });
});
