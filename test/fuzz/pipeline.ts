// Feeds one input through every stage: parse, BTF.ext, C dump, object model, skeleton, layout, hover and tree views.

import { CDumper, dumpC } from "../../server/src/core/btf/c-dump/index.js";
import { loadBtf, loadBtfExt } from "../../server/src/core/btf/load.js";
import type { Btf } from "../../server/src/core/btf/parse.js";
import { dumpRaw } from "../../server/src/core/btf/raw-dump.js";
import { SHT } from "../../server/src/core/elf/elf.js";
import { BtfLensError } from "../../server/src/core/errors.js";
import { layoutDatasec } from "../../server/src/core/layout/index.js";
import { openObject } from "../../server/src/core/object/index.js";
import type { BpfObject } from "../../server/src/core/object/types.js";
import { PROFILES } from "../../server/src/core/profile.js";
import { generateSkeleton } from "../../server/src/core/skel/index.js";
import { hoverMarkdown } from "../../server/src/lsp/hover.js";
import { CTypes } from "../../server/src/lsp/model/ctype.js";
import { buildObjectInfo } from "../../server/src/lsp/model/object-info.js";
import { datasecNodes, layoutNodes, mapNodes, namedTypes, programGroups } from "../../server/src/lsp/views.js";

/** How many type ids the per-type stages (CDumper, hovers) visit, so big inputs stay fast. */
const PER_TYPE_LIMIT = 48;

/** What happened to one input. `finding` is set when a property was violated. */
export interface Outcome {
  /** Name of the last stage reached (the one that threw, or "done"). */
  readonly stage: string;
  /** Kinds of BtfLensError seen per stage (for statistics). */
  readonly errors: readonly string[];
  readonly outputChars: number;
  readonly ms: number;
  readonly finding?: Finding;
}

export interface Finding {
  readonly stage: string;
  /** "crash" (non-BtfLensError escaped), "slow" (time cap), "output" (output size cap), "unstable" (nondeterministic). */
  readonly type: "crash" | "slow" | "output" | "unstable";
  readonly message: string;
  readonly stack?: string;
}

/**
 * Time and per-stage output caps derived from the input size: bounded work for bounded input. The output cap sits
 * above the C dumper's own fixed cap (128 MiB, MAX_OUTPUT_BYTES) because bpftool itself prints millions of
 * `long: 64;` padding lines for a struct whose member offset was flipped to a huge value.
 */
export function capsFor(inputBytes: number, outputChars = 0): { ms: number; outputChars: number } {
  // Time: generous (the machine may be shared), plus 1 ms per 1000 output characters for legitimately large dumps.
  return { ms: 10_000 + inputBytes / 10 + outputChars / 1000, outputChars: 136 * 1024 * 1024 + 512 * inputBytes };
}

export interface PipelineOptions {
  /** Run the C dump twice and compare. */
  readonly checkDeterminism?: boolean;
  /** One profile (cheaper) or both (default). */
  readonly profile?: "7.7" | "7.1";
  /** false: the core tier only (load, relocations, raw dump, BTF.ext, object model, layout); default true. */
  readonly deep?: boolean;
}

class OutputCap extends Error {}

/** Type ids visited by per-type stages: all of them for small BTF, else the first and last few and a spread. */
function sampleIds(count: number): number[] {
  if (count - 1 <= PER_TYPE_LIMIT) return Array.from({ length: Math.max(0, count - 1) }, (_, i) => i + 1);
  const ids = new Set<number>();
  for (let i = 1; i <= PER_TYPE_LIMIT / 4; i++) ids.add(i).add(count - i);
  const step = Math.floor(count / (PER_TYPE_LIMIT / 2));
  for (let id = 1; id < count; id += step) ids.add(id);
  return [...ids].sort((a, b) => a - b);
}

/**
 * Runs the whole pipeline on `bytes`. Each stage may throw only BtfLensError; the stages after a failed
 * load are skipped, the others still run (a bad .BTF.ext must not stop the C dump).
 */
export function runPipeline(bytes: Uint8Array, opts: PipelineOptions = {}): Outcome {
  const profiles = opts.profile ? [PROFILES[opts.profile]] : [PROFILES["7.7"], PROFILES["7.1"]];
  const deep = opts.deep ?? true;
  const start = performance.now();
  // CPU time, not wall time: the fuzzer runs under `nice` on a shared machine, where wall time means little.
  const cpuStart = process.cpuUsage();
  const caps = capsFor(bytes.length);
  const errors: string[] = [];
  let out = 0;
  let stageOut = 0;
  let stage = "load";
  const sink = (s: string): void => {
    out += s.length;
    stageOut += s.length;
    if (stageOut > caps.outputChars) throw new OutputCap(`${stage}: output exceeds ${caps.outputChars} chars for a ${bytes.length}-byte input`);
  };
  const finish = (finding?: Finding): Outcome => {
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const msCap = capsFor(bytes.length, out).ms;
    if (!finding && cpuMs > msCap) {
      finding = { stage, type: "slow", message: `took ${cpuMs.toFixed(0)} ms of CPU (${ms.toFixed(0)} ms wall; cap ${msCap.toFixed(0)} ms)` };
    }
    return finding ? { stage, errors, outputChars: out, ms, finding } : { stage, errors, outputChars: out, ms };
  };
  /** Runs one stage; returns false if it threw a BtfLensError (allowed), rethrows anything else. */
  const step = (name: string, f: () => void): boolean => {
    stage = name;
    stageOut = 0;
    try {
      f();
      return true;
    } catch (e) {
      if (e instanceof BtfLensError) {
        errors.push(`${name}:${e.kind}`);
        return false;
      }
      throw e;
    }
  };

  try {
    // `btf dump` under a libbpf 1.1 profile parses leniently (no sanity check), as Debian's bpftool does: then
    // out-of-range type ids and string offsets reach the dumpers, which must cope.
    const lenient = profiles.find((p) => !p.btfSanityCheck);
    if (lenient) {
      let lb: Btf | undefined;
      if (step("lenient load", () => (lb = loadBtf(bytes, { sanityCheck: false }).btf)) && lb) {
        const b = lb;
        step("lenient raw-dump", () => dumpRaw(b, sink));
        if (deep) step(`lenient c-dump ${lenient.name}`, () => dumpC(b, { profile: lenient }, sink));
      }
    }
    let loaded: ReturnType<typeof loadBtf> | undefined;
    if (!step("load", () => (loaded = loadBtf(bytes))) || !loaded) return finish();
    const { btf, elf } = loaded;
    if (elf) {
      step("elf-rels", () => {
        for (const s of elf.sections) if (s.type === SHT.REL) elf.rels(s);
      });
    }
    step("raw-dump", () => dumpRaw(btf, sink));
    step("btf-ext", () => void loadBtfExt(loaded as NonNullable<typeof loaded>));
    for (const profile of deep ? profiles : []) {
      let first = "";
      const ok = step(`c-dump ${profile.name}`, () =>
        dumpC(btf, { profile }, (s) => {
          sink(s);
          first += s;
        }),
      );
      if (ok && opts.checkDeterminism) {
        let second = "";
        dumpC(btf, { profile }, (s) => (second += s));
        if (second !== first) return finish({ stage, type: "unstable", message: `C dump (${profile.name}) differs between two runs` });
      }
    }
    const ids = deep ? sampleIds(btf.count) : [];
    step("c-dumper", () => {
      const d = new CDumper(btf, { profile: profiles[0] ?? PROFILES["7.7"] });
      let refused: BtfLensError | undefined;
      // Every sampled id, even after one is refused (an ELOOP on one chain must not hide a crash on another).
      // Highest ids first: in ascending order the dumper's memoised names make deep chains shallow.
      for (const id of [...ids].reverse()) {
        for (const call of [() => d.typeName(id), () => d.emitTypeDecl(id, { fieldName: "x", indent: 1 }), () => d.typeDefinition(id)]) {
          try {
            sink(call());
          } catch (e) {
            if (!(e instanceof BtfLensError)) throw e;
            refused ??= e;
          }
        }
      }
      if (refused) throw refused;
    });
    for (const profile of profiles) {
      let obj: BpfObject | undefined;
      if (!elf || !step(`object ${profile.name}`, () => (obj = openObject(bytes, { profile, name: "fuzz" }))) || !obj) continue;
      const o = obj;
      for (const kind of deep ? (["skeleton", "subskeleton"] as const) : []) {
        step(`${kind} ${profile.name}`, () => {
          const r = generateSkeleton(o, { profile, kind });
          sink(r.text);
          for (const w of r.warnings) sink(w);
        });
      }
      step(`layout ${profile.name}`, () => {
        for (const sec of o.datasecs) {
          const l = layoutDatasec(o.btf, sec, { describe: (id) => String(id) });
          for (const v of l.vars) sink(v.name + v.cType);
        }
      });
    }
    if (deep) step("hover", () => {
      const profile = profiles[0] ?? PROFILES["7.7"];
      const info = buildObjectInfo("/fuzz/input.bpf.o", bytes, profile);
      if (!info.btf) return;
      const c = new CTypes(info.btf, profile);
      const locate = (): undefined => undefined;
      for (const g of programGroups(info, locate)) sink(JSON.stringify(g));
      for (const n of mapNodes(info, c, locate)) sink(JSON.stringify(n));
      for (const n of datasecNodes(info, c, locate)) sink(JSON.stringify(n));
      for (const n of layoutNodes(info, c, locate)) sink(JSON.stringify(n));
      const names = new Set<string>();
      for (const t of namedTypes(info).slice(0, PER_TYPE_LIMIT)) names.add(t.name);
      for (const p of info.programs) names.add(p.name);
      for (const m of info.maps) names.add(m.name);
      for (const d of info.datasecs) for (const v of d.vars) names.add(v.name);
      for (const name of [...names].slice(0, PER_TYPE_LIMIT)) {
        for (const before of [undefined, "struct"]) {
          sink(hoverMarkdown(info, c, { word: name, start: 0, end: name.length, before }) ?? "");
        }
      }
    });
    stage = "done";
    return finish();
  } catch (e) {
    if (e instanceof OutputCap) return finish({ stage, type: "output", message: e.message });
    const err = e as Error;
    return finish({ stage, type: "crash", message: `${err?.name ?? "throw"}: ${err?.message ?? String(e)}`, ...(err?.stack ? { stack: err.stack } : {}) });
  }
}
