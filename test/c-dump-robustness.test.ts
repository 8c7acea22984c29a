// Hostile BTF for the C dumper: cycles and deep nesting end in a typed ELOOP error, never a hang or a stack overflow.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dumpC } from "../server/src/core/btf/c-dump/index.js";
import { parseBtf } from "../server/src/core/btf/parse.js";
import { BtfLensError, ERRNO } from "../server/src/core/errors.js";
import { PROFILES, type ProfileName } from "../server/src/core/profile.js";
import { isCleanFailure, runCli } from "./helpers/cli.js";
import { BtfBuilder } from "./helpers/btf-writer.js";

type Case = readonly [string, (b: BtfBuilder) => void];

/** Shapes that libbpf rejects with -ELOOP (or on which bpftool 7.1 crashes: typedef and pointer cycles). */
const CYCLES: readonly Case[] = [
  ["typedef cycle", (b) => {
    b.typedef("a_t", 2);
    b.typedef("b_t", 1);
  }],
  ["pointer/const cycle", (b) => {
    b.ptr(2);
    b.const(1);
    b.struct("s", 8, [{ name: "p", type: 1, bitOffset: 0 }]);
  }],
  ["struct embedding itself", (b) => {
    const i = b.int("int", 4, { signed: true });
    b.struct("s", 8, [{ name: "a", type: i, bitOffset: 0 }, { name: "self", type: i + 1, bitOffset: 32 }]);
  }],
  ["anonymous struct reached through its own pointer", (b) => {
    b.ptr(2);
    b.struct("", 8, [{ name: "p", type: 1, bitOffset: 0 }]);
    b.typedef("t", 2);
  }],
  ["array of itself", (b) => {
    b.array(1, 1, 2);
  }],
];

function dumpError(build: (b: BtfBuilder) => void, profile: ProfileName, sorted: boolean): unknown {
  const b = new BtfBuilder();
  build(b);
  try {
    dumpC(parseBtf(b.encode()), { profile: PROFILES[profile], sorted }, () => {});
  } catch (e) {
    return e;
  }
  return undefined;
}

describe.each([["7.7", true], ["7.7", false], ["7.1", false]] as const)("profile %s, sorted %s", (profile, sorted) => {
  it.each(CYCLES)("%s: ELOOP", (_name, build) => {
    const e = dumpError(build, profile, sorted);
    expect(e).toBeInstanceOf(BtfLensError);
    expect((e as BtfLensError).errno).toBe(ERRNO.ELOOP);
  });

  const DEEP = 50_000;
  const deep: readonly Case[] = [
    ["50k nested structs", (b) => {
      let t = b.int("int", 4, { signed: true });
      for (let i = 0; i < DEEP; i++) t = b.struct(`s${i}`, 4, [{ name: "m", type: t, bitOffset: 0 }]);
    }],
    ["50k nested anonymous structs", (b) => {
      let t = b.int("int", 4, { signed: true });
      for (let i = 0; i < DEEP; i++) t = b.struct("", 4, [{ name: "m", type: t, bitOffset: 0 }]);
      b.typedef("deep_t", t);
    }],
    ["50k pointers", (b) => {
      let t = b.int("int", 4, { signed: true });
      for (let i = 0; i < DEEP; i++) t = b.ptr(t);
      b.typedef("p_t", t);
    }],
    ["50k typedefs", (b) => {
      let t = b.int("int", 4, { signed: true });
      for (let i = 0; i < DEEP; i++) t = b.typedef(`t${i}`, t);
    }],
    ["50k nested function pointers", (b) => {
      let t = b.int("int", 4, { signed: true });
      for (let i = 0; i < DEEP; i++) t = b.ptr(b.funcProto(t, [["a", t]]));
      b.typedef("f_t", t);
    }],
  ];
  // In id order every dependency is already ordered when it is reached, so some of these dump
  // fine (as with libbpf); otherwise our nesting bound ends them with ELOOP. Never a RangeError.
  it.each(deep)("%s: output or a typed error, not a stack overflow", (_name, build) => {
    const e = dumpError(build, profile, sorted);
    if (e !== undefined) {
      expect(e).toBeInstanceOf(BtfLensError);
      expect((e as BtfLensError).errno).toBe(ERRNO.ELOOP);
    }
  });

  it("a chain of 50k pointers: ELOOP (our nesting bound)", () => {
    const e = dumpError((b) => {
      // Pointer k points at k + 1; the int comes last, so the first pointer dumped walks the whole chain.
      for (let i = 0; i < DEEP; i++) b.ptr(i + 2);
      b.int("int", 4, { signed: true });
    }, profile, sorted);
    expect(e).toBeInstanceOf(BtfLensError);
    expect((e as BtfLensError).errno).toBe(ERRNO.ELOOP);
  });
});

describe("deep but reasonable nesting still dumps", () => {
  it("200 nested anonymous structs", () => {
    const b = new BtfBuilder();
    let t = b.int("int", 4, { signed: true });
    for (let i = 0; i < 200; i++) t = b.struct("", 4, [{ name: "m", type: t, bitOffset: 0 }]);
    b.typedef("deep_t", t);
    let out = "";
    dumpC(parseBtf(b.encode()), { profile: PROFILES["7.1"] }, (s) => {
      out += s;
    });
    // libbpf caps indentation at 13 tabs.
    expect(out).toContain(`\n${"\t".repeat(13)}int m;\n`);
    expect(out).not.toContain("\t".repeat(14));
  });
});

describe("CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "btf-lens-cdump-hostile-"));
  it.each(CYCLES)("%s: exit 216 (ELOOP), one Error line, empty stdout", (name, build) => {
    const b = new BtfBuilder();
    build(b);
    const path = join(dir, `${name.replace(/\W+/g, "_")}.btf`);
    writeFileSync(path, b.encode());
    const r = runCli(["btf", "dump", "file", path, "format", "c"]);
    expect(isCleanFailure(r), `stderr: ${r.stderr}`).toBe(true);
    expect(r.status).toBe(216);
  });

  it("a struct asking for gigabytes of padding fails cleanly (bpftool prints 369 MB)", () => {
    const b = new BtfBuilder();
    const i = b.int("int", 4, { signed: true });
    b.struct("big", 0x0fffffff, [{ name: "a", type: i, bitOffset: 0 }]);
    const path = join(dir, "bigpad.btf");
    writeFileSync(path, b.encode());
    const r = runCli(["btf", "dump", "file", path, "format", "c"]);
    expect(isCleanFailure(r), `stderr: ${r.stderr}`).toBe(true);
    expect(r.status).toBe(256 - ERRNO.E2BIG);
  });
});
