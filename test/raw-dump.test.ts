// `btf dump file X` (raw format) against real bpftool goldens, for every corpus object, vmlinux, and both profiles.

import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isCleanFailure, runCli } from "./helpers/cli.js";
import { corpusObjects, expectSameText, golden, goldenError, objectPath, readVmlinuxBtf, type GoldenProfile } from "./helpers/golden.js";

const profiles: GoldenProfile[] = ["7.7", "7.1"];

describe.each(profiles)("btf dump format raw, profile %s", (profile) => {
  it.each(corpusObjects())("%s", (name) => {
    const r = runCli(["--bpftool", profile, "btf", "dump", "file", objectPath(name)]);
    const want = golden(profile, `${name}.btf.txt`);
    if (want !== undefined) {
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expectSameText(r.stdout, want, `${name} raw (${profile})`);
    } else {
      const err = goldenError(profile, name, "btf-raw");
      expect(err, `bpftool neither succeeded nor failed on ${name}`).toBeDefined();
      expect(isCleanFailure(r), `stderr: ${r.stderr}`).toBe(true);
      expect(r.status).toBe(err?.exit);
    }
  });

  it("vmlinux BTF", () => {
    const dir = mkdtempSync(join(tmpdir(), "btf-lens-"));
    const path = join(dir, "vmlinux.btf");
    writeFileSync(path, readVmlinuxBtf());
    const r = runCli(["--bpftool", profile, "btf", "dump", "file", path]);
    expect(r.status).toBe(0);
    expectSameText(r.stdout, golden(profile, "vmlinux.btf.txt") ?? "<missing golden>", `vmlinux raw (${profile})`);
  });

  it("explicit `format raw` and abbreviated keywords give the same output", () => {
    const full = runCli(["--bpftool", profile, "btf", "dump", "file", objectPath("config_layout"), "format", "raw"]);
    const short = runCli(["--bpftool", profile, "b", "d", "f", objectPath("config_layout"), "form", "raw"]);
    expect(full.status).toBe(0);
    expectSameText(short.stdout, full.stdout, "abbreviated");
    expectSameText(full.stdout, golden(profile, "config_layout.btf.txt") ?? "", "format raw");
  });
});
