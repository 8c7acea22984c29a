// `gen skeleton` / `gen subskeleton` against real bpftool goldens: every corpus object x {7.7, 7.1} x kind (+ named).

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BtfLensError } from "../server/src/core/errors.js";
import { objectNameFromPath, openObject } from "../server/src/core/object/index.js";
import { PROFILES } from "../server/src/core/profile.js";
import { generateSkeleton } from "../server/src/core/skel/index.js";
import { isCleanFailure, runCli } from "./helpers/cli.js";
import { CORPUS, corpusObjects, expectSameText, golden, goldenError, readObject, type GoldenProfile } from "./helpers/golden.js";

type Kind = "skeleton" | "subskeleton";
const profiles: GoldenProfile[] = ["7.7", "7.1"];
const kinds: Kind[] = ["skeleton", "subskeleton"];
/** The `name NEW` runs in the corpus (README: *.named.* goldens). */
const NAMED: Record<string, string> = { "4tuple_acct": "tuple4_acct", runqueue_latency_histogram: "rqlat" };

const ext = (kind: Kind) => (kind === "skeleton" ? "skel" : "subskel");

/** What the library produces for one run, or the exit status bpftool's rules give for its error. */
function generate(name: string, profile: GoldenProfile, kind: Kind, nameArg?: string): { text: string } | { exit: number; error: string } {
  const p = PROFILES[profile];
  const skelName = nameArg ?? objectNameFromPath(`obj/${name}.bpf.o`);
  try {
    const obj = openObject(readObject(name), { profile: p, name: kind === "skeleton" ? skelName : "" });
    return { text: generateSkeleton(obj, { profile: p, name: skelName, kind }).text };
  } catch (e) {
    if (!(e instanceof BtfLensError)) throw e;
    const exit = kind === "subskeleton" ? 255 : (256 - (e.errno % 256)) % 256;
    return { exit, error: e.message };
  }
}

const cases = corpusObjects().flatMap((name) => {
  const named = NAMED[name];
  return named === undefined ? [{ name, named: undefined }] : [{ name, named: undefined }, { name, named }];
});

describe.each(profiles)("profile %s", (profile) => {
  describe.each(kinds)("gen %s (library)", (kind) => {
    it.each(cases.map((c) => [c.named ? `${c.name} name ${c.named}` : c.name, c] as const))("%s", (_label, c) => {
      const file = `${c.name}${c.named ? ".named" : ""}.${ext(kind)}.h`;
      const want = golden(profile, file);
      const got = generate(c.name, profile, kind, c.named);
      if (want !== undefined) {
        expect("text" in got, `bpftool succeeded but we failed: ${"error" in got ? got.error : ""}`).toBe(true);
        if ("text" in got) expectSameText(got.text, want, `${file} (${profile})`);
      } else {
        const err = goldenError(profile, c.name, `${ext(kind)}${c.named ? "-named" : ""}`);
        expect(err, `no golden and no .err for ${file}`).toBeDefined();
        expect("exit" in got, "bpftool failed but we produced output").toBe(true);
        if ("exit" in got) expect(got.exit).toBe(err?.exit);
      }
    });
  });
});

/** Runs bpftool's command line from the corpus root, as the goldens were made. */
function cli(profile: GoldenProfile, kind: Kind, name: string, extra: string[] = []) {
  return runCli(["--bpftool", profile, "gen", kind, `obj/${name}.bpf.o`, ...extra], CORPUS);
}

describe.each(profiles)("CLI, profile %s", (profile) => {
  const failing = corpusObjects().flatMap((name) =>
    kinds.filter((k) => golden(profile, `${name}.${ext(k)}.h`) === undefined).map((k) => [`${k} ${name}`, k, name] as const),
  );
  it.each(failing)("fails like bpftool: %s", (_l, kind, name) => {
    const err = goldenError(profile, name, ext(kind));
    const r = cli(profile, kind, name);
    expect(isCleanFailure(r), `stderr: ${r.stderr}`).toBe(true);
    expect(r.status).toBe(err?.exit);
    // bpftool's own Error: line is the last line of its stderr.
    const lastLine = (err?.stderr ?? "").trim().split("\n").pop();
    expect(r.stderr.trim()).toBe(lastLine);
  });

  it.each(Object.entries(NAMED).flatMap(([name, n]) => kinds.map((k) => [`${k} ${name} name ${n}`, k, name, n] as const)))(
    "byte-identical through the CLI: %s",
    (_l, kind, name, n) => {
      const r = cli(profile, kind, name, ["name", n]);
      expect(r.status).toBe(0);
      expectSameText(r.stdout, golden(profile, `${name}.named.${ext(kind)}.h`) ?? "<missing>", `${name} named ${kind}`);
    },
  );

  it.each(kinds.flatMap((k) => ["config_layout", "tcp_cc_link", "tcpconn", "net-filter"].map((n) => [`${k} ${n}`, k, n] as const)))(
    "stdout and stderr as bpftool: %s",
    (_l, kind, name) => {
      const r = cli(profile, kind, name);
      expect(r.status).toBe(0);
      expectSameText(r.stdout, golden(profile, `${name}.${ext(kind)}.h`) ?? "<missing>", `${name} ${kind}`);
      expect(r.stderr).toBe(goldenError(profile, name, ext(kind))?.stderr ?? "");
    },
  );
});

describe("CLI usage errors", () => {
  it.each([
    [["gen", "skeleton", "-L", "obj/icmp_filter.bpf.o"], 2],
    [["gen", "skeleton", "obj/icmp_filter.bpf.o", "-S"], 2],
    [["gen", "min_core_btf", "a", "b", "c"], 2],
    [["gen", "skeleton", "obj/does-not-exist.bpf.o"], 255],
    [["gen", "skeleton", "obj/icmp_filter.bpf.o", "nam"], 255],
    [["gen", "skeleton", "obj/icmp_filter.bpf.o", "title", "x"], 255],
    [["gen", "skeleton", "obj/icmp_filter.bpf.o", "name", "a", "name", "b"], 255],
  ] as const)("%j exits %i with one Error: line", (args, status) => {
    const r = runCli([...args], CORPUS);
    expect(isCleanFailure(r), `stderr: ${r.stderr}`).toBe(true);
    expect(r.status).toBe(status);
  });

  it("abbreviated keywords work (`gen sk`, `gen sub`, `n`)", () => {
    const r = runCli(["gen", "sk", "obj/runqueue_latency_histogram.bpf.o", "n", "rqlat"], CORPUS);
    expect(r.status).toBe(0);
    expectSameText(r.stdout, golden("7.7", "runqueue_latency_histogram.named.skel.h") ?? "", "gen sk ... n rqlat");
    const s = runCli(["gen", "sub", "obj/libstats.bpf.o"], CORPUS);
    expectSameText(s.stdout, golden("7.7", "libstats.subskel.h") ?? "", "gen sub");
  });
});

describe("warnings through the library API", () => {
  it("an object name starting with a digit is reported (the header is not valid C)", () => {
    const obj = openObject(readObject("4tuple_acct"), { profile: PROFILES["7.7"], name: "4tuple_acct_bpf" });
    const r = generateSkeleton(obj, { profile: PROFILES["7.7"], kind: "skeleton" });
    expect(r.text).toContain("struct 4tuple_acct_bpf {");
    expect(r.warnings.some((w) => w.includes("digit"))).toBe(true);
    const named = generateSkeleton(obj, { profile: PROFILES["7.7"], kind: "skeleton", name: "tuple4_acct" });
    expect(named.warnings).toEqual([]);
  });

  it("7.1 without BTF warns that the skeleton uses undeclared members; 7.7 does not", () => {
    const bytes = readFileSync(`${CORPUS}/obj/icmp_filter_nobtf.bpf.o`);
    const w = (p: GoldenProfile) =>
      generateSkeleton(openObject(bytes, { profile: PROFILES[p], name: "icmp_filter_nobtf_bpf" }), { profile: PROFILES[p], kind: "skeleton" }).warnings;
    expect(w("7.1").length).toBe(1);
    expect(w("7.7")).toEqual([]);
  });
});

describe("edge-case objects (test/fixtures/skel-edge, Debian bpftool 7.1 goldens)", () => {
  const EDGE = join(CORPUS, "..", "skel-edge");
  const edgeGolden = (file: string) => {
    const p = join(EDGE, "golden", "debian-7.1.0", file);
    return existsSync(p) ? readFileSync(p, "utf8") : undefined;
  };
  const runs = ["edge", "static_prog", "bss_custom"].flatMap((n) =>
    kinds.flatMap((k) => [[n, k, undefined] as const, ...(n === "edge" ? [[n, k, "my_edge"] as const] : [])]),
  );
  it.each(runs)("%s gen %s name %s", (name, kind, nameArg) => {
    const args = ["--bpftool", "7.1", "gen", kind, `obj/${name}.bpf.o`, ...(nameArg ? ["name", nameArg] : [])];
    const r = runCli(args, EDGE);
    const want = edgeGolden(`${name}${nameArg ? ".named" : ""}.${ext(kind)}.h`);
    if (want !== undefined) {
      expect(r.status).toBe(0);
      expectSameText(r.stdout, want, `${name} ${kind}`);
      return;
    }
    const err = edgeGolden(`${name}.${ext(kind)}.err`) ?? "";
    expect(isCleanFailure(r), r.stderr).toBe(true);
    expect(`exit=${r.status}`).toBe(err.split("\n")[0]);
    expect(r.stderr.trim()).toBe(err.trim().split("\n").pop());
  });
});
