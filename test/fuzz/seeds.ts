// Fuzz seeds: the corpus objects, the raw .BTF blob of each, and generated objects (both byte orders).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseElf } from "../../server/src/core/elf/elf.js";
import { generatedObject, generateBtf } from "./gen-btf.js";
import { Rng, inputSeed } from "./rng.js";
import { mapSeed, type SeedMap } from "./seed-map.js";

/** The corpus objects; the fuzz runner passes the path explicitly because its bundle lives elsewhere. */
export const OBJ_DIR = join(__dirname, "..", "fixtures", "corpus", "obj");

function corpusNames(objDir: string): string[] {
  return readFileSync(join(objDir, "SHA256SUMS"), "utf8")
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[1] ?? "")
    .filter((n) => n.endsWith(".bpf.o"))
    .map((n) => n.replace(/^\*?(\.\/)?/, ""))
    .sort();
}

/** Every seed, in a fixed order (so a (seed, index) pair always names the same input). */
export function loadSeeds(opts: { generated?: number; objDir?: string } = {}): SeedMap[] {
  const objDir = opts.objDir ?? OBJ_DIR;
  const seeds: SeedMap[] = [];
  for (const file of corpusNames(objDir)) {
    const bytes = new Uint8Array(readFileSync(join(objDir, file)));
    seeds.push(mapSeed(file, bytes));
    const btf = parseElf(bytes).sectionByName(".BTF");
    if (btf) seeds.push(mapSeed(`${file}:.BTF`, btf.data.slice()));
  }
  const count = opts.generated ?? 24;
  for (let i = 0; i < count; i++) {
    const rng = new Rng(inputSeed(0x5eed, i));
    const order = i % 2 === 0 ? "little" : "big";
    const gen = generateBtf(rng, { hostile: i % 3 === 0 ? 0.2 : 0, order });
    seeds.push(mapSeed(`generated-${i}-${order}.o`, generatedObject(gen, order)));
    if (i % 4 === 0) seeds.push(mapSeed(`generated-${i}-${order}.btf`, gen.builder.encode(order)));
  }
  return seeds;
}
