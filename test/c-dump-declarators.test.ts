// Table test of the C declarator printer (CDumper.emitTypeDecl): one row per type shape, both profiles, strip_mods.

import { describe, expect, it } from "vitest";
import { CDumper } from "../server/src/core/btf/c-dump/index.js";
import { parseBtf } from "../server/src/core/btf/parse.js";
import { PROFILES } from "../server/src/core/profile.js";
import { DECL_ROWS, type DeclRow } from "./c-dump-declarator-rows.js";
import { BtfBuilder } from "./helpers/btf-writer.js";

function declare(row: DeclRow, profile: "7.7" | "7.1", stripMods: boolean): string {
  const b = new BtfBuilder();
  const id = row.build(b);
  const dumper = new CDumper(parseBtf(b.encode()), { profile: PROFILES[profile] });
  return dumper.emitTypeDecl(id, { fieldName: "x", indent: 1, stripMods });
}

describe("emitTypeDecl", () => {
  it.each(DECL_ROWS.map((r) => [r.shape, r] as const))("%s (7.7)", (_shape, row) => {
    expect(declare(row, "7.7", false)).toBe(row.want);
  });
  it.each(DECL_ROWS.map((r) => [r.shape, r] as const))("%s (7.1)", (_shape, row) => {
    expect(declare(row, "7.1", false)).toBe(row.want71 ?? row.want);
  });
  it.each(DECL_ROWS.map((r) => [r.shape, r] as const))("%s (strip_mods)", (_shape, row) => {
    expect(declare(row, "7.7", true)).toBe(row.stripped ?? row.want);
  });

  it("without a field name prints the bare type, as for casts", () => {
    const b = new BtfBuilder();
    const fp = b.ptr(b.funcProto(0, [["", b.int("int", 4, { signed: true })]]));
    const arr = b.array(b.ptr(b.const(b.int("char", 1, { char: true, signed: true }))), b.int("__ARRAY_SIZE_TYPE__", 4), 2);
    const d = new CDumper(parseBtf(b.encode()), { profile: PROFILES["7.7"] });
    expect(d.emitTypeDecl(fp)).toBe("void (*)(int)");
    expect(d.emitTypeDecl(arr)).toBe("const char *[2]");
  });
});

describe("CDumper naming state", () => {
  it("gives ___2 to the second type resolved under a name, and keeps it", () => {
    const b = new BtfBuilder();
    const i = b.int("int", 4, { signed: true });
    const s1 = b.struct("entry", 4, [{ name: "a", type: i, bitOffset: 0 }]);
    const s2 = b.struct("entry", 8, [{ name: "a", type: i, bitOffset: 0 }, { name: "b", type: i, bitOffset: 32 }]);
    const d = new CDumper(parseBtf(b.encode()), { profile: PROFILES["7.7"] });
    // Resolve the later type first: it claims the plain name, as libbpf would.
    expect(d.typeName(s2)).toBe("entry");
    expect(d.typeName(s1)).toBe("entry___2");
    expect(d.emitTypeDecl(s2, { fieldName: "e" })).toBe("struct entry e");
    expect(d.emitTypeDecl(s1, { fieldName: "e" })).toBe("struct entry___2 e");
  });

  it("typedefs and tags live in different namespaces; forward declarations never claim a name", () => {
    const b = new BtfBuilder();
    const i = b.int("int", 4, { signed: true });
    const s = b.struct("thing", 4, [{ name: "a", type: i, bitOffset: 0 }]);
    const t = b.typedef("thing", s);
    const f = b.fwd("thing");
    const d = new CDumper(parseBtf(b.encode()), { profile: PROFILES["7.7"] });
    expect(d.typeName(f)).toBe("thing");
    expect(d.typeName(s)).toBe("thing");
    expect(d.typeName(t)).toBe("thing");
    expect(d.typeDefinition(t)).toBe("typedef struct thing thing;");
    expect(d.typeDefinition(s)).toBe("struct thing {\n\tint a;\n};");
  });

  it("typeDefinition is idempotent for enums; emitTypeDecl counts enumerators again, like libbpf", () => {
    const b = new BtfBuilder();
    const e = b.enum("mode", 4, [["OFF", 0], ["ON", 1]]);
    const anon = b.enum("", 4, [["OFF", 0]]);
    const d = new CDumper(parseBtf(b.encode()), { profile: PROFILES["7.1"] });
    const first = d.typeDefinition(e);
    expect(first).toBe("enum mode {\n\tOFF = 0,\n\tON = 1,\n};");
    expect(d.typeDefinition(e)).toBe(first);
    // The anonymous enum's OFF is the second OFF in the identifier namespace.
    expect(d.emitTypeDecl(anon, { fieldName: "x" })).toBe("enum {\n\tOFF___2 = 0,\n} x");
    expect(d.emitTypeDecl(anon, { fieldName: "x" })).toBe("enum {\n\tOFF___3 = 0,\n} x");
  });
});
