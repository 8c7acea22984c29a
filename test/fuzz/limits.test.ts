// Documented limits (docs/limits.md): at the limit the CLI works, past it a clean one-line error, never a crash or hang.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isCleanFailure, runCli } from "../helpers/cli.js";
import { BtfBuilder } from "../helpers/btf-writer.js";

const dir = mkdtempSync(join(tmpdir(), "btf-lens-limits-"));
function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** `const const ... int` chains: libbpf's btf_dump recurses per level; we stop at MAX_NESTING (2000) with ELOOP. */
function constChain(depth: number): Uint8Array {
  const b = new BtfBuilder();
  let t = b.int("int", 4, { signed: true });
  for (let i = 0; i < depth; i++) t = b.const(t);
  b.typedef("deep_t", t);
  return b.encode();
}

/** Clean failure, also allowing libbpf-style lines before the single Error: line. */
function cleanFailure(r: ReturnType<typeof runCli>): boolean {
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  return r.status !== 0 && r.stdout === "" && (lines.at(-1) ?? "").startsWith("Error: ") && !/^\s+at /m.test(r.stderr);
}

describe("limits", () => {
  it("type nesting: 1500 levels dump as C; 100000 levels fail with one Error: line (ELOOP, exit 216)", () => {
    // Profile 7.1: bpftool 7.7's sorted dump skips the first sorted type, which here would be deep_t itself.
    const ok = runCli(["--bpftool", "7.1", "btf", "dump", "file", file("chain-1500.btf", constChain(1500)), "format", "c"]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("deep_t;");
    const deep = runCli(["btf", "dump", "file", file("chain-100000.btf", constChain(100_000)), "format", "c"]);
    expect(isCleanFailure(deep), deep.stderr).toBe(true);
    expect(deep.status).toBe(256 - 40);
  });

  it("vlen: a struct with the maximum 65535 members dumps (raw and C)", () => {
    const b = new BtfBuilder();
    const int = b.int("int", 4, { signed: true });
    b.struct("wide", 65535 * 4, Array.from({ length: 65535 }, (_, i) => ({ name: `m${i}`, type: int, bitOffset: i * 32 })));
    const path = file("wide.btf", b.encode());
    const raw = runCli(["btf", "dump", "file", path]);
    expect(raw.status, raw.stderr).toBe(0);
    expect(raw.stdout).toContain("[2] STRUCT 'wide' size=262140 vlen=65535");
    const c = runCli(["btf", "dump", "file", path, "format", "c"]);
    expect(c.status, c.stderr).toBe(0);
    expect(c.stdout).toContain("\tint m65534;\n");
  });

  it("type count: 300000 types load and dump", () => {
    const b = new BtfBuilder();
    for (let i = 0; i < 300_000; i++) b.int(`i${i}`, 4);
    const r = runCli(["btf", "dump", "file", file("many.btf", b.encode())]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.endsWith("[300000] INT 'i299999' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n")).toBe(true);
  });

  it("a 64-bit section offset beyond 2^53 is a clean truncation error, not a wrong read", () => {
    const b = new BtfBuilder();
    b.int("int", 4);
    const blob = b.encode();
    const elf = new Uint8Array(64 + blob.length);
    elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    const dv = new DataView(elf.buffer);
    dv.setUint16(16, 1, true);
    dv.setUint16(18, 247, true);
    dv.setBigUint64(40, 0xffffffffffff0000n, true); // e_shoff
    dv.setUint16(58, 64, true);
    dv.setUint16(60, 3, true);
    const r = runCli(["btf", "dump", "file", file("far.o", elf)]);
    expect(cleanFailure(r), r.stderr).toBe(true);
  });
});
