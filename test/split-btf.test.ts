// Split BTF (kernel-module BTF, bpftool -B): raw and C dumps of a module-like BTF on the corpus vmlinux, both profiles.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { loadSplitBtf } from "../server/src/core/btf/load.js";
import { isCleanFailure, runCli } from "./helpers/cli.js";
import { expectSameText, GOLDEN_DIRS, readVmlinuxBtf, statusRows } from "./helpers/golden.js";

const DIR = join(__dirname, "fixtures", "split");
const MOD = join(DIR, "mod.btf");
const text = (f: string): string => (f.endsWith(".gz") ? gunzipSync(readFileSync(join(DIR, f))) : readFileSync(join(DIR, f))).toString("utf8");

const tmp = mkdtempSync(join(tmpdir(), "btf-lens-split-"));
const BASE = join(tmp, "vmlinux.btf");
writeFileSync(BASE, readVmlinuxBtf());

describe.each(["7.7", "7.1"] as const)("split BTF with -B, profile %s", (p) => {
  it("raw dump starts at the split's first id", () => {
    const r = runCli(["--bpftool", p, "-B", BASE, "btf", "dump", "file", MOD]);
    expect(r.status, r.stderr).toBe(0);
    expectSameText(r.stdout, text(`mod.btf.${p}.txt`), `split raw ${p}`);
  });
  it("format c dumps base and split types together", () => {
    const r = runCli(["--bpftool", p, "--base-btf", BASE, "btf", "dump", "file", MOD, "format", "c"]);
    expect(r.status, r.stderr).toBe(0);
    expectSameText(r.stdout, text(`mod.btf.${p}.h.gz`), `split format c ${p}`);
  });
  it("without a base it fails like bpftool (EINVAL)", () => {
    const r = runCli(["--bpftool", p, "btf", "dump", "file", MOD]);
    expect(r.status).toBe(234);
    expect(isCleanFailure(r), r.stderr).toBe(true);
  });
  it("a base that cannot be read fails with exit 255 before anything else", () => {
    const r = runCli(["--bpftool", p, "-B", join(tmp, "missing.btf"), "btf", "dump", "file", MOD]);
    expect(r.status).toBe(255);
    expect(isCleanFailure(r), r.stderr).toBe(true);
  });
});

it("split BTF, format c unsorted (7.7)", () => {
  const r = runCli(["-B", BASE, "btf", "dump", "file", MOD, "format", "c", "unsorted"]);
  expect(r.status, r.stderr).toBe(0);
  expectSameText(r.stdout, text("mod.btf.7.7.unsorted.h.gz"), "split unsorted");
});

it("loadSplitBtf numbers the split's types after the base's", () => {
  const base = readVmlinuxBtf();
  const loaded = loadSplitBtf(readFileSync(MOD), base);
  expect(loaded.startId).toBe(126690);
  expect(loaded.btf.type(loaded.startId).name).toBe("mod_state");
  expect(loaded.btf.type(1).kind).not.toBe("void");
});

// -B with a file that is not split BTF (or of the other byte order) on an unrelated base: goldens and exit codes from
// split/wrong-base/make.sh. libbpf 1.7 mostly refuses it (sanity check); bpftool 7.1 dumps it, raw and C; where
// libbpf divides by zero bpftool dies of SIGFPE (the shell's 136) and we fail cleanly with that status.
describe("-B given a BTF that is not split on an unrelated base", () => {
  const WRONG = join(DIR, "wrong-base");
  const OBJ = join(__dirname, "fixtures", "corpus", "obj");
  for (const [profile, dir] of GOLDEN_DIRS) {
    const status = statusRows(join(WRONG, dir));
    it.each(status)(`${profile}: %s (bpftool exit %s)`, (out, exit) => {
      const m = /^(.+)\+(.+)\.(raw|c)$/.exec(out);
      if (!m) throw new Error(`unexpected golden name ${out}`);
      const [, base, file, format] = m as unknown as [string, string, string, string];
      const r = runCli(["--bpftool", profile, "-B", join(OBJ, `${base}.bpf.o`), "btf", "dump", "file", join(OBJ, `${file}.bpf.o`), "format", format]);
      expect(r.status, r.stderr).toBe(Number(exit));
      if (exit !== "0") expect(isCleanFailure(r), r.stderr).toBe(true);
      else expectSameText(r.stdout, text(join("wrong-base", dir, format === "c" ? `${out}.gz` : out)), `${out} under ${profile}`);
    });
  }
});
