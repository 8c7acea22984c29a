// Seeded properties on generated BTF: writer -> reader round trip, datasec variables inside their sections,
// layout accounting for every byte, and a deterministic C dump.

import { describe, expect, it } from "vitest";
import { dumpC } from "../server/src/core/btf/c-dump/index.js";
import { parseBtf, type Btf } from "../server/src/core/btf/parse.js";
import { kindNumber, type BtfType } from "../server/src/core/btf/types.js";
import { BtfLensError } from "../server/src/core/errors.js";
import { layoutDatasec } from "../server/src/core/layout/index.js";
import { openObject } from "../server/src/core/object/index.js";
import { PROFILES } from "../server/src/core/profile.js";
import { generatedObject, generateBtf } from "./fuzz/gen-btf.js";
import { Rng } from "./fuzz/rng.js";
import type { Order, RawType } from "./helpers/btf-writer.js";

const SEEDS = Array.from({ length: 24 }, (_, i) => 1000 + i);
const orderOf = (seed: number): Order => (seed % 2 === 0 ? "little" : "big");

/** Re-encodes a parsed type into the writer's record form: the inverse of the reader. */
function rawOf(btf: Btf, t: BtfType): RawType & { nameText: string } {
  const base = { nameText: t.name, name: { off: t.nameOff }, kind: kindNumber(t), kflag: t.kflag };
  switch (t.kind) {
    case "void":
      return { ...base, vlen: 0, sizeOrType: 0, extra: [] };
    case "int":
      return { ...base, vlen: 0, sizeOrType: t.size, extra: [((t.encoding << 24) | (t.bitsOffset << 16) | t.nrBits) >>> 0] };
    case "ptr":
    case "const":
    case "volatile":
    case "restrict":
    case "typedef":
    case "type_tag":
      return { ...base, vlen: 0, sizeOrType: t.type, extra: [] };
    case "array":
      return { ...base, vlen: 0, sizeOrType: 0, extra: [t.type, t.indexType, t.nelems] };
    case "struct":
    case "union":
      return {
        ...base,
        vlen: t.members.length,
        sizeOrType: t.size,
        extra: t.members.flatMap((m) => [m.nameOff, m.type, t.kflag ? ((m.bitfieldSize << 24) | m.bitOffset) >>> 0 : m.bitOffset]),
      };
    case "enum":
      return { ...base, vlen: t.values.length, sizeOrType: t.size, extra: t.values.flatMap((v) => [v.nameOff, Number(v.value)]) };
    case "enum64":
      return {
        ...base,
        vlen: t.values.length,
        sizeOrType: t.size,
        extra: t.values.flatMap((v) => [v.nameOff, Number(v.value & 0xffffffffn), Number(v.value >> 32n)]),
      };
    case "fwd":
      return { ...base, vlen: 0, sizeOrType: 0, extra: [] };
    case "func":
      return { ...base, vlen: t.linkage, sizeOrType: t.type, extra: [] };
    case "func_proto":
      return { ...base, vlen: t.params.length, sizeOrType: t.returnType, extra: t.params.flatMap((p) => [p.nameOff, p.type]) };
    case "var":
      return { ...base, vlen: 0, sizeOrType: t.type, extra: [t.linkage] };
    case "datasec":
      return { ...base, vlen: t.vars.length, sizeOrType: t.size, extra: t.vars.flatMap((v) => [v.type, v.offset, v.size]) };
    case "float":
      return { ...base, vlen: 0, sizeOrType: t.size, extra: [] };
    case "decl_tag":
      return { ...base, vlen: 0, sizeOrType: t.type, extra: [t.componentIdx >>> 0] };
  }
  void btf;
  throw new Error("unreachable");
}

describe("writer -> reader round trip on generated BTF", () => {
  it.each(SEEDS)("seed %i", (seed) => {
    const order = orderOf(seed);
    const gen = generateBtf(new Rng(seed), { hostile: seed % 3 === 0 ? 0.3 : 0, order });
    const blob = gen.builder.encode(order);
    const btf = parseBtf(blob);
    expect(btf.order).toBe(order);
    expect(btf.count).toBe(gen.builder.types.length + 1);
    gen.builder.types.forEach((want, i) => {
      const got = rawOf(btf, btf.type(i + 1));
      const label = `type [${i + 1}]`;
      expect(got.kind, label).toBe(want.kind);
      expect(got.nameText, label).toBe(typeof want.name === "string" ? want.name : btf.str(want.name.off));
      expect(got.vlen, label).toBe(want.vlen);
      expect(got.kflag, label).toBe(want.kflag);
      expect(got.sizeOrType, label).toBe(want.sizeOrType);
      expect(got.extra.map((w) => w >>> 0), label).toEqual(want.extra.map((w) => w >>> 0));
    });
    // The same BTF inside an ELF object reads back identically.
    const fromElf = openObject(generatedObject(gen, order), { profile: PROFILES["7.7"], name: "gen" }).btf;
    expect(fromElf?.count).toBe(btf.count);
  });
});

describe.each(["7.7", "7.1"] as const)("generated objects, profile %s", (profileName) => {
  const profile = PROFILES[profileName];

  it.each(SEEDS)("seed %i: every data-section variable lies inside its section; holes + padding + sizes = section size", (seed) => {
    const order = orderOf(seed);
    const gen = generateBtf(new Rng(seed), { order });
    let obj: ReturnType<typeof openObject>;
    try {
      obj = openObject(generatedObject(gen, order), { profile, name: "gen" });
    } catch (e) {
      // Only a typed refusal is acceptable (e.g. Debian's libbpf 1.1 rejects foreign-endian objects).
      expect(e).toBeInstanceOf(BtfLensError);
      expect(order === "big" && !profile.foreignEndian, String(e)).toBe(true);
      return;
    }
    const expected = gen.datasecs.filter((d) => d.name !== ".kconfig");
    for (const d of expected) {
      const sec = obj.datasecs.find((s) => s.name === d.name);
      if (!sec) {
        // Debian's libbpf 1.1 does not make maps of every custom section; the generator knows which ones it made.
        expect(d.name.startsWith(".data.") || d.name.startsWith(".rodata."), `${d.name} missing`).toBe(true);
        continue;
      }
      expect(sec.size, d.name).toBe(d.size);
      for (const v of sec.vars) {
        expect(v.offset, `${d.name}/${v.name}`).toBeGreaterThanOrEqual(0);
        expect(v.offset + v.size, `${d.name}/${v.name} ends inside`).toBeLessThanOrEqual(sec.size);
      }
      expect(sec.vars.map((v) => [v.name, v.offset, v.size]).sort()).toEqual(d.vars.map((v) => [v.name, v.offset, v.size]).sort());
      const l = layoutDatasec(obj.btf, sec);
      expect(l.problems, d.name).toEqual([]);
      const varBytes = l.vars.reduce((n, v) => n + v.size, 0);
      const holes = l.vars.reduce((n, v) => n + v.holeBefore, 0);
      expect(holes + l.tailPadding + varBytes, `${d.name}: holes + tail padding + variables`).toBe(sec.size);
      expect(l.wasted).toBe(holes + l.tailPadding);
    }
  });

  it.each(SEEDS)("seed %i: the C dump is deterministic (twice on one Btf, once on a fresh parse)", (seed) => {
    const order = orderOf(seed);
    const gen = generateBtf(new Rng(seed), { hostile: seed % 4 === 0 ? 0.3 : 0, order });
    const blob = gen.builder.encode(order);
    const dump = (btf: Btf): string => {
      let s = "";
      try {
        dumpC(btf, { profile }, (c) => (s += c));
      } catch (e) {
        expect(e, String((e as Error).stack)).toBeInstanceOf(BtfLensError);
        return `error: ${(e as Error).message}`;
      }
      return s;
    };
    const btf = parseBtf(blob);
    const first = dump(btf);
    expect(first.startsWith("error:"), first).toBe(false);
    expect(dump(btf)).toBe(first);
    expect(dump(parseBtf(blob.slice()))).toBe(first);
  });
});
