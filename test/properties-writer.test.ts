// The test-only BTF/ELF writer against our reader: every kind, both byte orders, raw and wrapped in an ELF object.

import { describe, expect, it } from "vitest";
import { loadBtf } from "../server/src/core/btf/load.js";
import { parseBtf } from "../server/src/core/btf/parse.js";
import { BtfBuilder, buildBpfObject, returnZero, type Order } from "./helpers/btf-writer.js";

function everyKind(): BtfBuilder {
  const b = new BtfBuilder();
  const int = b.int("int", 4, { signed: true });
  const chr = b.int("char", 1, { signed: true });
  const arr = b.array(chr, int, 8);
  const s = b.struct("cfg", 16, [
    { name: "a", type: int, bitOffset: 0 },
    { name: "b", type: int, bitOffset: 32, bitfieldSize: 3 },
    { name: "c", type: arr, bitOffset: 64 },
  ]);
  b.union("u", 4, [{ name: "x", type: int, bitOffset: 0 }]);
  const v = b.variable("my_cfg", s, 1);
  b.enum("color", 4, [["RED", 0], ["BLUE", 0xffffffff]], true);
  b.enum64("big", 8, [["X", -1n]]);
  const fp = b.funcProto(int, [["ctx", b.ptr(0)]]);
  const f = b.func("prog", fp, 1);
  b.declTag("tag", f, -1);
  b.typeTag("user", b.ptr(s));
  b.fwd("later", true);
  b.float("double", 8);
  b.typedef("u32x", b.const(b.volatile(b.restrict(b.ptr(int)))));
  b.datasec(".data", 16, [{ type: v, offset: 0, size: 16 }]);
  return b;
}

describe.each<Order>(["little", "big"])("btf-writer round trip (%s endian)", (order) => {
  it("raw BTF: every kind reads back with the written fields", () => {
    const btf = parseBtf(everyKind().encode(order));
    expect(btf.order).toBe(order);
    expect(btf.count).toBe(23);
    const kinds = btf.types.map((t) => t.kind);
    for (const k of ["int", "ptr", "array", "struct", "union", "enum", "enum64", "fwd", "typedef", "volatile", "const", "restrict", "func", "func_proto", "var", "datasec", "float", "decl_tag", "type_tag"]) {
      expect(kinds).toContain(k);
    }
    const cfg = btf.type(btf.idsByName("cfg")[0] ?? -1);
    expect(cfg.kind === "struct" && cfg.members.map((m) => [m.name, m.bitOffset, m.bitfieldSize])).toEqual([
      ["a", 0, 0],
      ["b", 32, 3],
      ["c", 64, 0],
    ]);
    const big = btf.type(btf.idsByName("big")[0] ?? -1);
    expect(big.kind === "enum64" && big.values[0]?.value).toBe(0xffffffffffffffffn);
    const ds = btf.type(btf.idsByName(".data")[0] ?? -1);
    expect(ds.kind === "datasec" && ds.vars).toEqual([{ type: btf.idsByName("my_cfg")[0], offset: 0, size: 16 }]);
  });

  it("ELF object: sections, symbols and .BTF are found", () => {
    const btfBytes = everyKind().encode(order);
    const obj = buildBpfObject({
      order,
      btf: btfBytes,
      text: returnZero(order),
      data: new Uint8Array(16),
      bss: 8,
      license: "GPL",
      symbols: [
        { name: "my_cfg", section: ".data", size: 16 },
        { name: "prog", section: ".text", type: 2, size: 16 },
      ],
    });
    const { btf, elf } = loadBtf(obj);
    expect(elf?.order).toBe(order);
    expect(elf?.sections.map((s) => s.name)).toEqual(["", ".text", "license", ".data", ".bss", ".BTF", ".symtab", ".strtab", ".shstrtab"]);
    expect(elf?.sectionByName(".bss")?.size).toBe(8);
    expect(elf?.symbols.slice(1).map((s) => [s.name, elf.sections[s.shndx]?.name, s.size])).toEqual([
      ["my_cfg", ".data", 16],
      ["prog", ".text", 16],
    ]);
    expect(btf.count).toBe(23);
    expect(Array.from(elf?.sectionByName(".BTF")?.data ?? [])).toEqual(Array.from(btfBytes));
  });
});
