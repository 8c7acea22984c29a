// The CLI on fuzzed files: success, or a clean failure (non-zero exit, nothing on stdout, one `Error:` line, no stack).

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.js";
import { makeInput } from "./engine.js";
import { loadSeeds } from "./seeds.js";

const seeds = loadSeeds({ generated: 4 });
const dir = mkdtempSync(join(tmpdir(), "btf-lens-cli-fuzz-"));
/** A fixed sample of fuzzed inputs, written to files as a user would have them. */
const sample = Array.from({ length: 6 }, (_, k) => {
  const input = makeInput(seeds, 0xc11, k * 7919);
  const path = join(dir, `fuzz-${k}.bpf.o`);
  writeFileSync(path, input.bytes);
  return { label: `${k}: ${input.seedName} ${input.steps.join("+")}`, path };
});

const COMMANDS: readonly (readonly string[])[] = [
  ["btf", "dump", "file"],
  ["gen", "skeleton"],
  ["gen", "subskeleton"],
];

/** bpftool's contract: stderr is libbpf warnings then exactly one final `Error: ` line; stdout stays empty. */
function problems(r: CliResult): string[] {
  const out: string[] = [];
  const lines = r.stderr.split("\n").filter((l) => l.length > 0);
  if (/^\s+at /m.test(r.stderr)) out.push("stack trace on stderr");
  if (/internal error/.test(r.stderr)) out.push("internal error");
  if (r.status === 0) return out;
  if (r.stdout !== "") out.push(`stdout not empty (${r.stdout.length} chars)`);
  if (lines.filter((l) => l.startsWith("Error: ")).length !== 1) out.push("not exactly one Error: line");
  if (!(lines.at(-1) ?? "").startsWith("Error: ")) out.push("last stderr line is not the Error: line");
  for (const l of lines.slice(0, -1)) if (!l.startsWith("libbpf: ") && !l.startsWith("Warning: ")) out.push(`unexpected stderr line: ${l}`);
  return out;
}

const seen = { ok: 0, failed: 0 };

describe.each(["7.7", "7.1"])("CLI on fuzzed files, profile %s", (profile) => {
  it.each(sample)("$label", ({ path }) => {
    for (const cmd of COMMANDS) {
      const args = ["--bpftool", profile, ...cmd, path];
      for (const extra of cmd[0] === "btf" ? [[], ["format", "c"]] : [[]]) {
        const r = runCli([...args, ...extra]);
        if (r.status === 0) seen.ok++;
        else seen.failed++;
        expect(problems(r), `${[...args, ...extra].join(" ")}\nexit ${r.status}\nstderr: ${r.stderr}`).toEqual([]);
      }
    }
  });

  it("a missing file fails cleanly for every command", () => {
    for (const cmd of COMMANDS) {
      const r = runCli(["--bpftool", profile, ...cmd, join(dir, "does-not-exist.o")]);
      expect(r.status).not.toBe(0);
      expect(problems(r), r.stderr).toEqual([]);
    }
  });
});

describe("the sample", () => {
  it("holds both inputs the CLI accepts and inputs it refuses", () => {
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.failed).toBeGreaterThan(0);
  });
});
