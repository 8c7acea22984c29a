// Differential test: random well-formed BTF dumped by Debian's real bpftool 7.1 and by us (profile 7.1) must match.
// Needs /usr/sbin/bpftool (apt-get install bpftool; .ci/setup-system installs it): without it the test fails,
// naming the missing oracle, rather than passing silently.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dumpC } from "../server/src/core/btf/c-dump/index.js";
import { parseBtf } from "../server/src/core/btf/parse.js";
import { PROFILES } from "../server/src/core/profile.js";
import { generateBtf } from "./fuzz/gen-btf.js";
import { Rng } from "./fuzz/rng.js";
import { expectSameText } from "./helpers/golden.js";

const BPFTOOL = "/usr/sbin/bpftool";
const have = existsSync(BPFTOOL) && spawnSync(BPFTOOL, ["version"], { encoding: "utf8" }).stdout.includes("v7.1.0");

/** Seeds 1..60 with plain names, 61..100 with a share of hostile (non-ASCII, control character) names. */
const seeds = Array.from({ length: 100 }, (_, i) => i + 1);

describe("format c vs Debian bpftool 7.1 on generated BTF", () => {
  it("Debian's bpftool 7.1 is installed (the oracle)", () => {
    expect(have, `${BPFTOOL} (Debian bpftool 7.1.0) is missing: apt-get install bpftool`).toBe(true);
  });
  const dir = mkdtempSync(join(tmpdir(), "btf-lens-cdiff-"));
  it.each(have ? seeds : [])("seed %i", (seed) => {
    const gen = generateBtf(new Rng(seed), { hostile: seed > 60 ? 0.2 : 0 });
    const blob = gen.builder.encode();
    const path = join(dir, `seed${seed}.btf`);
    writeFileSync(path, blob);
    const real = spawnSync(BPFTOOL, ["btf", "dump", "file", path, "format", "c"], { encoding: "utf8" });
    expect(real.status, real.stderr).toBe(0);
    let ours = "";
    dumpC(parseBtf(blob), { profile: PROFILES["7.1"] }, (s) => {
      ours += s;
    });
    expectSameText(ours, real.stdout, `seed ${seed}`);
  });
});
