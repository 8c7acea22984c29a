// Names that are not valid UTF-8: every output byte-identical to the real bpftools (fixtures from non-utf8/make.mjs).

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GOLDEN_DIRS, statusRows } from "./helpers/golden.js";
import { decodeLossless, encodeLossless } from "../server/src/core/text/lossless-utf8.js";
import { Rng } from "./fuzz/rng.js";
import { CLI } from "./helpers/cli";

const DIR = join(__dirname, "fixtures/non-utf8");

function argsFor(out: string): string[] {
  if (out.endsWith(".subskel.h")) return ["gen", "subskeleton", out.slice(0, -".subskel.h".length)];
  if (out.endsWith(".skel.h")) return ["gen", "skeleton", out.slice(0, -".skel.h".length)];
  if (out.endsWith(".txt")) return ["btf", "dump", "file", out.slice(0, -".txt".length)];
  return ["btf", "dump", "file", out.slice(0, -".h".length), "format", "c"];
}

describe("non-UTF-8 names against the real bpftools", () => {
  for (const [profile, dir] of GOLDEN_DIRS) {
    const status = statusRows(join(DIR, dir));
    it.each(status)(`${profile}: %s (bpftool exit %s)`, (out, exit) => {
      // Bytes, not text: the point is that no byte of a name changes on the way.
      const r = spawnSync(process.execPath, [CLI, "--bpftool", profile, ...argsFor(out)], { cwd: DIR, maxBuffer: 1 << 28 });
      expect(r.status).toBe(Number(exit));
      if (exit === "0") expect(Buffer.compare(r.stdout, readFileSync(join(DIR, dir, out))), `${out} differs`).toBe(0);
    });
  }
});

describe("lossless UTF-8", () => {
  it("round-trips any bytes", () => {
    const rng = new Rng(7);
    for (let n = 0; n < 2000; n++) {
      const bytes = Uint8Array.from({ length: rng.range(0, 40) }, () => (rng.range(0, 3) === 0 ? rng.range(0x80, 0x100) : rng.range(1, 0x100)));
      expect(Buffer.compare(Buffer.from(encodeLossless(decodeLossless(bytes))), Buffer.from(bytes))).toBe(0);
    }
  });

  it("decodes valid UTF-8 as TextDecoder does, and escapes only invalid bytes", () => {
    const valid = "plain ünïcödé 名前 \u{1F600} \u{10080}";
    expect(decodeLossless(new TextEncoder().encode(valid))).toBe(valid);
    expect(encodeLossless(valid)).toEqual(new TextEncoder().encode(valid));
    // 0xff; a lead byte without continuation; an overlong '/'; an encoded surrogate.
    expect(decodeLossless(Uint8Array.from([0x61, 0xff, 0xc3, 0x28, 0xc0, 0xaf, 0xed, 0xa0, 0x80]))).toBe("a\udcff\udcc3(\udcc0\udcaf\udced\udca0\udc80");
  });
});
