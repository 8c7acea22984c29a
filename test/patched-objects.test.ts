// Objects no compiler makes, where libbpf or bpftool check what they read (fixtures from patched-objects/make.mjs):
// gen skeleton and gen subskeleton exit as the real bpftools do, with one clean error line, or print the same text.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GOLDEN_DIRS, statusRows } from "./helpers/golden.js";
import { isCleanFailure, runCli } from "./helpers/cli.js";

const DIR = join(__dirname, "fixtures/patched-objects");

describe("patched objects against the real bpftools", () => {
  for (const [profile, dir] of GOLDEN_DIRS) {
    const status = statusRows(join(DIR, dir));
    it.each(status)(`${profile}: %s (bpftool exit %s)`, (out, exit) => {
      const m = /^(.+)\.(skel|subskel)\.h$/.exec(out);
      if (!m) throw new Error(`unexpected golden name ${out}`);
      const r = runCli(["--bpftool", profile, "gen", m[2] === "skel" ? "skeleton" : "subskeleton", `${m[1]}.bpf.o`], DIR);
      expect(r.status, r.stderr).toBe(Number(exit));
      if (exit !== "0") expect(isCleanFailure(r), r.stderr).toBe(true);
      else expect(r.stdout).toBe(readFileSync(join(DIR, dir, out), "utf8"));
    });
  }
});
