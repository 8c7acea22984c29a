// Names that are empty strings at a nonzero offset (not anonymous, as libbpf sees them): every output against the
// real bpftools (fixtures from empty-names/make.mjs).

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GOLDEN_DIRS, statusRows } from "./helpers/golden.js";
import { CLI } from "./helpers/cli";

const DIR = join(__dirname, "fixtures/empty-names");
const OBJ = "empty_names.bpf.o";

function argsFor(out: string): string[] {
  if (out.endsWith(".subskel.h")) return ["gen", "subskeleton", OBJ];
  if (out.endsWith(".skel.h")) return ["gen", "skeleton", OBJ];
  if (out.endsWith(".txt")) return ["btf", "dump", "file", OBJ];
  if (out.endsWith(".unsorted.h")) return ["btf", "dump", "file", OBJ, "format", "c", "unsorted"];
  return ["btf", "dump", "file", OBJ, "format", "c"];
}

describe("types named by an empty string at a nonzero offset", () => {
  for (const [profile, dir] of GOLDEN_DIRS) {
    const status = statusRows(join(DIR, dir));
    it.each(status)(`${profile}: %s (bpftool exit %s)`, (out, exit) => {
      const r = spawnSync(process.execPath, [CLI, "--bpftool", profile, ...argsFor(out)], { cwd: DIR, maxBuffer: 1 << 28 });
      expect(r.status).toBe(Number(exit));
      if (exit === "0") expect(r.stdout.toString("utf8")).toBe(readFileSync(join(DIR, dir, out), "utf8"));
    });
  }

  it("the fixture really has them: a second struct named \"\" is printed as `struct ___2`", () => {
    expect(readFileSync(join(DIR, "bpftool-v7.7.0", "empty_names.h"), "utf8")).toContain("struct ___2 {");
  });
});
