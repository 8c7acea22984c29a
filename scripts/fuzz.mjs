// `npm run fuzz -- --seconds N [--seed S] [--batch B] [--out DIR]`: long seeded fuzzing of the whole pipeline, one child per batch.
import { fork } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const seconds = Number(opt("seconds", "60"));
const seed = Number(opt("seed", String(Date.now() % 0x7fffffff)));
const batch = Number(opt("batch", "2000"));
let index = Number(opt("start", "0"));
const limit = Number(opt("inputs", "Infinity"));
const timeoutMs = Number(opt("timeout", "120")) * 1000;
const heapMb = Number(opt("heap-mb", "1024"));
const determinism = args.includes("--determinism");
// --sweep: systematic truncations of every seed (every file offset, every BTF type_len) instead of random mutations.
// --fields: every header-level field (ELF header, section headers, symbol section indices, relocations, BTF and
// BTF.ext headers) of every seed set to 0, 1, max, max - 1 and its sign bit, one at a time.
const sweepMode = args.includes("--sweep") ? "sweep" : args.includes("--fields") ? "fields" : undefined;
const root = resolve(new URL("..", import.meta.url).pathname);
const out = resolve(opt("out", join(tmpdir(), `btf-lens-fuzz-${seed}`)));
mkdirSync(out, { recursive: true });

// Bundle the TypeScript worker once (the harness lives in test/fuzz, next to the vitest short pass).
const bundleDir = mkdtempSync(join(tmpdir(), "btf-lens-fuzz-bundle-"));
const workerJs = join(bundleDir, "worker.cjs");
await build({
  entryPoints: [join(root, "test/fuzz/worker.ts")],
  outfile: workerJs,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  logLevel: "warning",
  sourcemap: "inline",
});
const objDir = join(root, "test/fixtures/corpus/obj");

/** Runs one batch in a child; resolves with what happened (timeouts and deaths included). */
function runBatch(mode, start, count) {
  return new Promise((done) => {
    const child = fork(workerJs, [], { execArgv: [`--max-old-space-size=${heapMb}`, "--enable-source-maps"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const result = { last: start - 1, findings: [], done: undefined, timedOut: false, exit: null };
    const timer = setTimeout(() => {
      result.timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("message", (m) => {
      if (m.type === "at") result.last = m.index;
      else if (m.type === "finding") result.findings.push(m);
      else if (m.type === "done") result.done = m;
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      result.exit = signal ?? code;
      done(result);
    });
    child.send({ mode, seed, start, count, out, determinism, objDir });
  });
}

const t0 = Date.now();
const stats = {};
const findings = [];
let ran = 0;
let maxMs = 0;
let maxRss = 0;
console.log(`fuzz: seed ${seed}, ${seconds}s, batches of ${batch}, findings -> ${out}`);
while ((Date.now() - t0) / 1000 < seconds && ran < limit) {
  const count = Math.min(batch, limit - ran);
  const r = await runBatch(sweepMode ?? "run", index, count);
  for (const f of r.findings) {
    findings.push(f);
    console.log(`FINDING ${f.kind} at input ${f.index} (${f.seedName}, ${f.steps.join("+")}) stage ${f.stage}: ${f.message}\n  saved ${f.file}`);
  }
  if (r.done) {
    ran += r.done.ran;
    maxMs = Math.max(maxMs, r.done.maxMs);
    maxRss = Math.max(maxRss, r.done.maxRss);
    for (const [k, v] of Object.entries(r.done.stats)) stats[k] = (stats[k] ?? 0) + v;
    index += count;
    if (sweepMode && r.done.ran < count) break; // every seed swept
  } else {
    // The child hung (timeout) or died (out of memory, native stack overflow) on input r.last: save it and go on after it.
    const bad = Math.max(r.last, index);
    const kind = r.timedOut ? "hang" : `died (${r.exit})`;
    findings.push({ kind, index: bad });
    const d = await runBatch(sweepMode ? `${sweepMode}-dump` : "dump", bad, 1);
    console.log(`FINDING ${kind} at input ${bad}; saved ${join(out, `fuzz-${seed}-${bad}.bin`)} (dump ${d.exit === 0 ? "ok" : "failed"})`);
    ran += bad - index + 1;
    index = bad + 1;
  }
  const s = (Date.now() - t0) / 1000;
  console.log(`fuzz: ${ran} inputs in ${s.toFixed(0)}s (${(ran / s).toFixed(0)}/s), next index ${index}, findings ${findings.length}`);
}
const s = (Date.now() - t0) / 1000;
console.log(`\nfuzz summary: seed ${seed}, inputs ${ran} (indexes up to ${index - 1}), ${s.toFixed(0)}s, ${(ran / s).toFixed(1)} inputs/s`);
console.log(`slowest input ${maxMs.toFixed(0)} ms, max worker RSS ${(maxRss / 2 ** 20).toFixed(0)} MiB`);
for (const [k, v] of Object.entries(stats).sort((a, b) => b[1] - a[1])) console.log(`  ${String(v).padStart(9)}  ${k}`);
console.log(`findings: ${findings.length}${findings.length ? ` (in ${out})` : ""}`);
process.exitCode = findings.length > 0 ? 1 : 0;
