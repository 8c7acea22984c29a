// Short seeded fuzz pass for `npm test`: random mutations through the whole pipeline plus a full truncation sweep of one seed.

import { describe, expect, it } from "vitest";
import { dumpRaw } from "../../server/src/core/btf/raw-dump.js";
import { loadBtf } from "../../server/src/core/btf/load.js";
import { makeInput, runInput, sweepAt, sweepSize } from "./engine.js";
import type { Finding } from "./pipeline.js";
import { runPipeline } from "./pipeline.js";
import { loadSeeds } from "./seeds.js";

const seeds = loadSeeds({ generated: 8 });

function describeFindings(found: { label: string; finding: Finding }[]): string {
  return found
    .slice(0, 5)
    .map((f) => `${f.label}: ${f.finding.type} in ${f.finding.stage}: ${f.finding.message}\n${f.finding.stack ?? ""}`)
    .join("\n");
}

function rawDump(bytes: Uint8Array): string {
  let s = "";
  dumpRaw(loadBtf(bytes).btf, (c) => (s += c));
  return s;
}

describe("fuzz: only BtfLensError escapes, in bounded time and output", () => {
  it.each([1, 2])("random mutations through every stage, batch %i", (batch) => {
    const found: { label: string; finding: Finding }[] = [];
    for (let i = batch * 1000; i < batch * 1000 + 30; i++) {
      const input = makeInput(seeds, 0x5eed, i);
      const o = runInput(input, { determinism: true, allDeep: true });
      if (o.finding) found.push({ label: `input ${i} (${input.seedName}, ${input.steps.join("+")})`, finding: o.finding });
    }
    expect(found, describeFindings(found)).toEqual([]);
  });

  it("truncation at every offset and every type_len of a generated raw BTF", () => {
    const seed = seeds.find((s) => s.name.endsWith(".btf") && s.bytes.length < 4096);
    expect(seed, "a small generated .btf seed").toBeDefined();
    if (!seed) return;
    const first = seeds.indexOf(seed);
    const base = seeds.slice(0, first).reduce((n, s) => n + sweepSize(s), 0);
    const found: { label: string; finding: Finding }[] = [];
    let ok = 0;
    for (let k = 0; k < sweepSize(seed); k++) {
      const s = sweepAt(seeds, base + k);
      if (!s) throw new Error("sweep index out of range");
      const o = runPipeline(s.bytes, { profile: k % 2 ? "7.1" : "7.7", deep: k % 7 === 0 });
      if (o.finding) found.push({ label: s.label, finding: o.finding });
      if (o.errors.length === 0) ok++;
    }
    expect(found, describeFindings(found)).toEqual([]);
    expect(ok, "the untruncated seed and record-boundary type_len values parse").toBeGreaterThan(1);
  });

  it("the parser stays usable after a run of malformed inputs", () => {
    const probe = seeds.find((s) => s.name === "config_layout.bpf.o");
    expect(probe).toBeDefined();
    if (!probe) return;
    const before = rawDump(probe.bytes);
    for (let i = 0; i < 60; i++) runInput(makeInput(seeds, 0xbad, i));
    expect(rawDump(probe.bytes)).toBe(before);
  });
});
