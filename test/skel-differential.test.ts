// Differential test: gen skeleton/subskeleton of random objects (with and without BTF) by Debian's real bpftool 7.1
// and by our CLI (profile 7.1) must match: exit code and stdout, byte for byte. Needs /usr/sbin/bpftool (apt-get
// install bpftool; .ci/setup-system installs it): without it the test fails, naming the missing oracle.
//
// Random names collide (an extern and a global of one name) and objects lose their BTF, which is how libbpf's
// extern lookup errors (EINVAL, ESRCH) were found to differ.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateBtf, generatedObject } from "./fuzz/gen-btf.js";
import { Rng } from "./fuzz/rng.js";
import { CLI } from "./helpers/cli";

const BPFTOOL = "/usr/sbin/bpftool";
const have = existsSync(BPFTOOL) && spawnSync(BPFTOOL, ["version"], { encoding: "utf8" }).stdout.includes("v7.1.0");

/** The same object with its .BTF section renamed (same length), so that libbpf finds no BTF. */
function withoutBtf(obj: Uint8Array): Uint8Array {
  const b = Buffer.from(obj);
  const at = b.indexOf("\0.BTF\0", 0, "latin1");
  if (at >= 0) b.write(".XTF", at + 1, "latin1");
  return b;
}

const seeds = Array.from({ length: 48 }, (_, i) => i + 1);

describe("gen skeleton vs Debian bpftool 7.1 on generated objects", () => {
  it("Debian's bpftool 7.1 is installed (the oracle)", () => {
    expect(have, `${BPFTOOL} (Debian bpftool 7.1.0) is missing: apt-get install bpftool`).toBe(true);
  });
  const dir = mkdtempSync(join(tmpdir(), "btf-lens-skdiff-"));
  it.each(have ? seeds : [])("seed %i", (seed) => {
    const gen = generateBtf(new Rng(seed * 104729), { hostile: seed % 3 === 0 ? 0.3 : 0, types: 10 + (seed % 40) * 3, nameCollisions: true });
    const obj = generatedObject(gen, seed % 5 === 0 ? "big" : "little");
    const files = { [`g${seed}.bpf.o`]: obj, [`g${seed}_nobtf.bpf.o`]: withoutBtf(obj) };
    for (const [file, bytes] of Object.entries(files)) {
      writeFileSync(join(dir, file), bytes);
      for (const cmd of ["skeleton", "subskeleton"]) {
        const real = spawnSync(BPFTOOL, ["gen", cmd, file], { cwd: dir, maxBuffer: 1 << 28 });
        const ours = spawnSync(process.execPath, [CLI, "--bpftool", "7.1", "gen", cmd, file], { cwd: dir, maxBuffer: 1 << 28 });
        const what = `${file} gen ${cmd}: bpftool said ${String(real.stderr).trim().split("\n").pop()}`;
        expect(ours.status, what).toBe(real.status);
        expect(Buffer.compare(ours.stdout, real.stdout), `${what}; stdout differs`).toBe(0);
      }
    }
  });
});
