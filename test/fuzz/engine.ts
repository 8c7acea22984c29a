// One fuzz input from (run seed, index): pick a seed, mutate it, run the pipeline; shared by vitest and scripts/fuzz.mjs.

import { mutate, type Mutation } from "./mutate.js";
import { runPipeline, type Outcome } from "./pipeline.js";
import { Rng, inputSeed } from "./rng.js";
import type { SeedMap } from "./seed-map.js";

export interface FuzzInput {
  readonly index: number;
  readonly seedName: string;
  readonly steps: readonly Mutation[];
  readonly bytes: Uint8Array;
  /** Profile for this input, and whether it goes through every stage (else the core tier). */
  readonly profile: "7.7" | "7.1";
  readonly deep: boolean;
}

/** Fraction of random inputs that go through the whole pipeline; the rest run the cheaper core tier. */
export const DEEP_FRACTION = 1 / 6;

/** The input number `index` of run `seed`: deterministic, so a finding can be regenerated from two numbers. */
export function makeInput(seeds: readonly SeedMap[], seed: number, index: number): FuzzInput {
  const rng = new Rng(inputSeed(seed, index));
  const map = seeds[rng.below(seeds.length)] as SeedMap;
  const { bytes, steps } = mutate(rng, map, seeds);
  const profile = rng.chance(0.5) ? "7.7" : "7.1";
  return { index, seedName: map.name, steps, bytes, profile, deep: rng.chance(DEEP_FRACTION) };
}

/** Runs one input; `allDeep` forces the whole pipeline (the vitest pass does that). */
export function runInput(input: FuzzInput, opts: { determinism?: boolean; allDeep?: boolean } = {}): Outcome {
  return runPipeline(input.bytes, { checkDeterminism: opts.determinism ?? false, profile: input.profile, deep: opts.allDeep || input.deep });
}

/**
 * Systematic inputs of one seed: the file truncated at every offset, then the BTF header's type_len set to every
 * value from 0 to its real length (a truncation of the type section at every byte, records cut anywhere).
 */
export function sweepSize(map: SeedMap): number {
  return map.bytes.length + (map.types.length > 0 ? typeLenOf(map) + 1 : 0);
}

export function sweepInput(map: SeedMap, k: number): { label: string; bytes: Uint8Array } {
  const n = map.bytes.length;
  if (k < n) return { label: `truncate@${k}`, bytes: map.bytes.subarray(0, k) };
  const len = k - n;
  const bytes = map.bytes.slice();
  new DataView(bytes.buffer).setUint32(map.btfBase + 12, len, map.little);
  return { label: `type_len=${len}`, bytes };
}

function typeLenOf(map: SeedMap): number {
  return new DataView(map.bytes.buffer, map.bytes.byteOffset, map.bytes.byteLength).getUint32(map.btfBase + 12, map.little);
}

/** Sweep input number `index` over all seeds in order (seed by seed). */
export function sweepAt(seeds: readonly SeedMap[], index: number): { seedName: string; label: string; bytes: Uint8Array } | undefined {
  let i = index;
  for (const s of seeds) {
    const size = sweepSize(s);
    if (i < size) return { seedName: s.name, ...sweepInput(s, i) };
    i -= size;
  }
  return undefined;
}

/** Header-level fields (ELF header, section headers, symbols' section indices, relocations, BTF and BTF.ext headers). */
const HEADER_ROLES = new Set(["elf-header", "shdr", "shdr-offset", "shdr-size", "shdr-link", "sym-shndx", "rel-info", "rel-offset", "btf-header", "ext-header"]);

function headerFields(map: SeedMap): SeedMap["fields"] {
  return map.fields.filter((f) => HEADER_ROLES.has(f.role));
}

/** Values every header field is set to: 0, 1, max, max - 1 and the sign bit of its width. */
function fieldValues(size: 1 | 2 | 4 | 8): number[] {
  const max = size === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (size * 8) - 1;
  return [0, 1, max, max - 1, size === 8 ? 2 ** 32 : 2 ** (size * 8 - 1)];
}

/** Field sweep of one seed: every header field set to each of fieldValues (5 inputs per field). */
export function fieldSweepSize(map: SeedMap): number {
  return headerFields(map).length * 5;
}

export function fieldSweepAt(seeds: readonly SeedMap[], index: number): { seedName: string; label: string; bytes: Uint8Array } | undefined {
  let i = index;
  for (const s of seeds) {
    const size = fieldSweepSize(s);
    if (i < size) {
      const f = headerFields(s)[Math.floor(i / 5)];
      if (!f) return undefined;
      const value = fieldValues(f.size)[i % 5] as number;
      const bytes = s.bytes.slice();
      const dv = new DataView(bytes.buffer);
      if (f.size === 1) dv.setUint8(f.off, value);
      else if (f.size === 2) dv.setUint16(f.off, value, s.little);
      else if (f.size === 4) dv.setUint32(f.off, value >>> 0, s.little);
      else dv.setBigUint64(f.off, BigInt(value), s.little);
      return { seedName: s.name, label: `${f.role}@${f.off}=${value}`, bytes };
    }
    i -= size;
  }
  return undefined;
}
