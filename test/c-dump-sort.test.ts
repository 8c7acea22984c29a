// bpftool 7.7's type order: the packed-key sort gives exactly the order of bpftool's comparator alone.

import { describe, expect, it } from "vitest";
import { RawTypes } from "../server/src/core/btf/c-dump/raw.js";
import { sortedTypeIds } from "../server/src/core/btf/c-dump/sort.js";
import { loadBtf } from "../server/src/core/btf/load.js";
import { parseBtf } from "../server/src/core/btf/parse.js";
import { generateBtf } from "./fuzz/gen-btf.js";
import { Rng } from "./fuzz/rng.js";
import { corpusObjects, readObject, readVmlinuxBtf } from "./helpers/golden.js";

function expectSameOrder(raw: RawTypes, label: string): void {
  const packed = sortedTypeIds(raw);
  const reference = sortedTypeIds(raw, false);
  expect(packed.length, label).toBe(raw.count);
  // Compare as arrays of numbers for a readable first difference.
  const firstDiff = packed.findIndex((id, i) => id !== reference[i]);
  expect(firstDiff, `${label}: first difference at index ${firstDiff}`).toBe(-1);
}

describe("sortedTypeIds: packed keys vs bpftool's comparator", () => {
  it("vmlinux (126,000 types, 37,000 anonymous ones in one run of equal names)", () => {
    expectSameOrder(new RawTypes(loadBtf(readVmlinuxBtf(), { sanityCheck: true }).btf), "vmlinux");
  });

  // Objects built without -g have no BTF to sort (loading them is tested elsewhere).
  const withBtf = corpusObjects().filter((name) => !name.endsWith("_nobtf"));
  it.each(withBtf)("%s", (name) => {
    const { btf } = loadBtf(readObject(name), { sanityCheck: true });
    expectSameOrder(new RawTypes(btf), name);
  });

  // Generated BTF: random names share prefixes of every length, many anonymous types; some names hostile.
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))("generated seed %i", (seed) => {
    const gen = generateBtf(new Rng(seed), { types: 150 + seed * 20, hostile: seed % 4 === 0 ? 0.2 : 0 });
    expectSameOrder(new RawTypes(parseBtf(gen.builder.encode())), `seed ${seed}`);
  });
});
