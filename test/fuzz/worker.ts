// Child-process side of `npm run fuzz`: runs a batch of inputs, reports progress and findings to the parent over IPC.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dumpRaw } from "../../server/src/core/btf/raw-dump.js";
import { loadBtf } from "../../server/src/core/btf/load.js";
import { fieldSweepAt, makeInput, runInput, sweepAt, type FuzzInput } from "./engine.js";
import { runPipeline } from "./pipeline.js";
import { loadSeeds } from "./seeds.js";
import type { SeedMap } from "./seed-map.js";

export interface BatchRequest {
  readonly mode: "run" | "dump" | "sweep" | "sweep-dump" | "fields" | "fields-dump";
  readonly seed: number;
  readonly start: number;
  readonly count: number;
  readonly out: string;
  readonly determinism: boolean;
  /** test/fixtures/corpus/obj of the checkout being fuzzed. */
  readonly objDir: string;
}

export type WorkerMessage =
  | { type: "at"; index: number }
  | { type: "finding"; index: number; seedName: string; steps: string[]; kind: string; stage: string; message: string; file: string }
  | { type: "done"; ran: number; stats: Record<string, number>; ms: number; maxMs: number; maxRss: number };

function send(m: WorkerMessage): void {
  process.send?.(m);
}

/** Writes the input and its description so a finding can become a regression fixture. */
export function saveInput(out: string, seed: number, input: FuzzInput, extra: Record<string, unknown>): string {
  mkdirSync(out, { recursive: true });
  const file = join(out, `fuzz-${seed}-${input.index}.bin`);
  writeFileSync(file, input.bytes);
  writeFileSync(`${file}.json`, `${JSON.stringify({ seed, index: input.index, seedName: input.seedName, steps: input.steps, ...extra }, null, 2)}\n`);
  return file;
}

function rawDumpOf(bytes: Uint8Array): string {
  let s = "";
  dumpRaw(loadBtf(bytes).btf, (c) => (s += c));
  return s;
}

function run(req: BatchRequest): void {
  const seeds: SeedMap[] = loadSeeds({ objDir: req.objDir });
  if (req.mode !== "run" && req.mode !== "dump") {
    sweep(req, seeds);
    return;
  }
  if (req.mode === "dump") {
    const input = makeInput(seeds, req.seed, req.start);
    saveInput(req.out, req.seed, input, { kind: "hang-or-died" });
    send({ type: "done", ran: 0, stats: {}, ms: 0, maxMs: 0, maxRss: 0 });
    return;
  }
  // The parser must stay usable after failures: remember a few seeds' raw dumps and recheck them at the end.
  const probes = seeds.filter((s) => s.types.length > 0).slice(0, 3);
  const before = probes.map((s) => rawDumpOf(s.bytes));
  const stats: Record<string, number> = {};
  const t0 = performance.now();
  let maxMs = 0;
  let maxRss = 0;
  for (let i = req.start; i < req.start + req.count; i++) {
    send({ type: "at", index: i });
    const input = makeInput(seeds, req.seed, i);
    const o = runInput(input, { determinism: req.determinism });
    if (input.deep) stats.deep = (stats.deep ?? 0) + 1;
    const key = o.finding ? `FINDING ${o.finding.type}` : o.errors.length > 0 ? `${o.errors[0]}` : "clean";
    stats[key] = (stats[key] ?? 0) + 1;
    maxMs = Math.max(maxMs, o.ms);
    if ((i & 63) === 0) maxRss = Math.max(maxRss, process.memoryUsage.rss());
    if (o.finding) {
      const file = saveInput(req.out, req.seed, input, { finding: o.finding });
      send({ type: "finding", index: i, seedName: input.seedName, steps: [...input.steps], kind: o.finding.type, stage: o.finding.stage, message: o.finding.message, file });
    }
  }
  probes.forEach((s, k) => {
    if (rawDumpOf(s.bytes) !== before[k]) {
      send({ type: "finding", index: -1, seedName: s.name, steps: [], kind: "unstable", stage: "raw-dump", message: "parser state leaked between inputs", file: "" });
    }
  });
  send({ type: "done", ran: req.count, stats, ms: performance.now() - t0, maxMs, maxRss });
}

/** Systematic inputs: truncations (sweepAt) or header fields set to edge values (fieldSweepAt); core tier, profiles alternating. */
function sweep(req: BatchRequest, seeds: readonly SeedMap[]): void {
  const stats: Record<string, number> = {};
  const t0 = performance.now();
  let maxMs = 0;
  let ran = 0;
  for (let i = req.start; i < req.start + req.count; i++) {
    const s = req.mode.startsWith("fields") ? fieldSweepAt(seeds, i) : sweepAt(seeds, i);
    if (!s) break;
    const input: FuzzInput = { index: i, seedName: s.seedName, steps: [], bytes: s.bytes, profile: i % 2 ? "7.1" : "7.7", deep: false };
    if (req.mode.endsWith("-dump")) {
      saveInput(req.out, req.seed, input, { kind: "hang-or-died", sweep: s.label });
      break;
    }
    send({ type: "at", index: i });
    // Field edits mostly leave a parseable object: every 4th one also goes through the skeleton, C dump and hovers.
    const o = runPipeline(s.bytes, { profile: input.profile, deep: req.mode.startsWith("fields") && i % 4 === 0 });
    ran++;
    const key = o.finding ? `FINDING ${o.finding.type}` : o.errors.length > 0 ? `${o.errors[0]}` : "clean";
    stats[key] = (stats[key] ?? 0) + 1;
    maxMs = Math.max(maxMs, o.ms);
    if (o.finding) {
      const file = saveInput(req.out, req.seed, input, { finding: o.finding, sweep: s.label });
      send({ type: "finding", index: i, seedName: s.seedName, steps: [s.label], kind: o.finding.type, stage: o.finding.stage, message: o.finding.message, file });
    }
  }
  send({ type: "done", ran, stats, ms: performance.now() - t0, maxMs, maxRss: process.memoryUsage.rss() });
}

process.on("message", (req: BatchRequest) => {
  run(req);
  // Disconnect only once everything queued (progress, findings, "done") has reached the parent.
  process.send?.({ type: "flush" }, undefined, {}, () => process.disconnect?.());
});
