// Bad input: the reader's table tests (every header cut, both byte orders) and the CLI against Debian bpftool's verdicts.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBtf } from "../server/src/core/btf/load.js";
import { parseBtf } from "../server/src/core/btf/parse.js";
import { parseElf } from "../server/src/core/elf/elf.js";
import { BtfLensError } from "../server/src/core/errors.js";
import { isCleanFailure, runCli } from "./helpers/cli.js";
import { expectSameText, readObject } from "./helpers/golden.js";

const DIR = join(__dirname, "fixtures", "bad-input");
const verdicts = readFileSync(join(DIR, "bpftool-7.1.tsv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split("\t") as [string, string])
  .map(([file, exit]) => ({ file, exit: Number(exit) }));

/** Files that libbpf >= 1.3 rejects in btf_sanity_check while libbpf 1.1 dumps them. */
const SANITY = new Set(["btf-name-off-huge.btf", "btf-be-name-off-huge.btf", "btf-bad-type-ref.btf"]);

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("reader: truncation at every header byte, both byte orders", () => {
  const objects = { little: readObject("icmp_filter"), big: readObject("config_layout_be") };
  describe.each(Object.entries(objects))("%s-endian ELF", (_order, bytes) => {
    it("every cut inside the 64-byte ELF header is a BtfLensError naming an offset", () => {
      for (let cut = 0; cut < 64; cut++) {
        const e = thrown(() => loadBtf(bytes.subarray(0, cut)));
        expect(e, `cut at ${cut}`).toBeInstanceOf(BtfLensError);
      }
    });
    it("every cut of the section header table is a BtfLensError", () => {
      const elf = parseElf(bytes);
      const shoff = Number(Buffer.from(bytes).readBigUInt64LE(40));
      const start = elf.order === "little" ? shoff : Number(Buffer.from(bytes).readBigUInt64BE(40));
      for (let cut = start; cut < bytes.length; cut += 13) {
        const e = thrown(() => parseElf(bytes.subarray(0, cut)));
        expect(e, `cut at ${cut}`).toBeInstanceOf(BtfLensError);
        expect((e as BtfLensError).offset, `cut at ${cut} names an offset`).toBeTypeOf("number");
      }
    });
    it("every cut inside the 24-byte BTF header is a BtfLensError", () => {
      const sec = parseElf(bytes).sectionByName(".BTF")!;
      for (let cut = 0; cut < 24; cut++) {
        const e = thrown(() => parseBtf(sec.data.subarray(0, cut), sec.offset));
        expect(e, `cut at ${cut}`).toBeInstanceOf(BtfLensError);
        expect((e as BtfLensError).offset).toBe(sec.offset);
      }
    });
    it("cuts through the type and string sections are BtfLensErrors, never other exceptions", () => {
      const sec = parseElf(bytes).sectionByName(".BTF")!;
      for (let cut = 24; cut < sec.data.length; cut += 5) {
        const e = thrown(() => parseBtf(sec.data.subarray(0, cut), sec.offset).types);
        expect(e, `cut at ${cut}`).toBeInstanceOf(BtfLensError);
      }
    });
  });
});

describe("CLI on bad input: Debian bpftool 7.1's exit codes and output", () => {
  it.each(verdicts)("$file (bpftool 7.1 exit $exit)", ({ file, exit }) => {
    const r = runCli(["--bpftool", "7.1", "btf", "dump", "file", join(DIR, file)]);
    expect(r.status).toBe(exit);
    if (exit === 0) {
      expectSameText(r.stdout, readFileSync(join(DIR, "bpftool-7.1", `${file}.txt`), "utf8"), file);
    } else {
      expect(isCleanFailure(r), r.stderr).toBe(true);
    }
  });

  it.each(verdicts)("$file under profile 7.7: libbpf 1.7's verdict", ({ file, exit }) => {
    const r = runCli(["btf", "dump", "file", join(DIR, file)]);
    // libbpf 1.7 runs btf_sanity_check while parsing (-EINVAL); everything else behaves as in 1.1.
    const want = SANITY.has(file) ? 234 : exit;
    expect(r.status).toBe(want);
    if (want !== 0) {
      expect(isCleanFailure(r), r.stderr).toBe(true);
      expect(r.stderr).toMatch(/^Error: failed to load BTF from .*: .+\n$/);
    }
  });

  it("a directory fails like bpftool's fopen + fread (EIO, exit 251) under both profiles", () => {
    for (const p of ["7.7", "7.1"]) {
      const r = runCli(["--bpftool", p, "btf", "dump", "file", DIR]);
      expect(r.status).toBe(251);
      expect(isCleanFailure(r), r.stderr).toBe(true);
    }
  });

  it("a missing file fails like bpftool (ENOENT, exit 254)", () => {
    const r = runCli(["btf", "dump", "file", join(DIR, "does-not-exist.o")]);
    expect(r.status).toBe(254);
    expect(isCleanFailure(r)).toBe(true);
  });

  it("format c on BTF that only libbpf 1.1's lenient parser accepts fails cleanly", () => {
    const r = runCli(["--bpftool", "7.1", "btf", "dump", "file", join(DIR, "btf-bad-type-ref.btf"), "format", "c"]);
    expect(isCleanFailure(r), r.stderr).toBe(true);
  });
});
