// Test helpers: corpus paths, golden loading (gzip aware), and a golden diff that names the first differing line.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { expect } from "vitest";

export const CORPUS = join(__dirname, "..", "fixtures", "corpus");
export const OBJ_DIR = join(CORPUS, "obj");
export const GOLDEN = { "7.7": join(CORPUS, "golden", "bpftool-v7.7.0"), "7.1": join(CORPUS, "golden", "debian-7.1.0") } as const;
export type GoldenProfile = keyof typeof GOLDEN;
/** Each profile and the directory its goldens sit in, in fixtures made by record-goldens.mjs. */
export const GOLDEN_DIRS = [
  ["7.7", "bpftool-v7.7.0"],
  ["7.1", "debian-7.1.0"],
] as const;

/** The rows of a golden directory's status.tsv (record-goldens.mjs): output name and the real bpftool's exit status. */
export function statusRows(dir: string): [string, string][] {
  return readFileSync(join(dir, "status.tsv"), "utf8").trim().split("\n").map((l) => l.split("\t") as [string, string]);
}

/** Object base names in the corpus (`execsnoop_lite` for obj/execsnoop_lite.bpf.o), sorted. */
export function corpusObjects(): string[] {
  const list = readFileSync(join(OBJ_DIR, "SHA256SUMS"), "utf8")
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[1])
    .filter((n): n is string => !!n && n.endsWith(".bpf.o"))
    .map((n) => n.replace(/^\*?(\.\/)?/, "").replace(/\.bpf\.o$/, ""));
  return [...new Set(list)].sort();
}

export function objectPath(name: string): string {
  return join(OBJ_DIR, `${name}.bpf.o`);
}

export function readObject(name: string): Uint8Array {
  return readFileSync(objectPath(name));
}

let vmlinux: Uint8Array | undefined;
export function readVmlinuxBtf(): Uint8Array {
  vmlinux ??= gunzipSync(readFileSync(join(CORPUS, "vmlinux", "vmlinux.btf.gz")));
  return vmlinux;
}

/** The golden file's text, or undefined when bpftool produced none (it failed). Reads `.gz` transparently. */
export function golden(profile: GoldenProfile, file: string): string | undefined {
  const p = join(GOLDEN[profile], file);
  if (existsSync(p)) return readFileSync(p, "utf8");
  if (existsSync(`${p}.gz`)) return gunzipSync(readFileSync(`${p}.gz`)).toString("utf8");
  return undefined;
}

/** The `.err` record of a failed (or noisy) bpftool command: exit code and stderr. */
export function goldenError(profile: GoldenProfile, name: string, cmd: string): { exit: number; stderr: string } | undefined {
  const p = join(GOLDEN[profile], `${name}.${cmd}.err`);
  if (!existsSync(p)) return undefined;
  const text = readFileSync(p, "utf8");
  const nl = text.indexOf("\n");
  const first = nl < 0 ? text : text.slice(0, nl);
  return { exit: Number(first.replace("exit=", "")), stderr: nl < 0 ? "" : text.slice(nl + 1) };
}

/** Asserts byte equality; on failure reports the first differing line with a little context, not the whole text. */
export function expectSameText(actual: string, expected: string, label: string): void {
  if (actual === expected) return;
  const a = actual.split("\n");
  const e = expected.split("\n");
  let i = 0;
  while (i < a.length && i < e.length && a[i] === e[i]) i++;
  const ctx = (lines: string[]) => lines.slice(Math.max(0, i - 3), i + 3).map((l, k) => `${Math.max(0, i - 3) + k + 1}: ${l}`).join("\n");
  expect.fail(
    `${label}: first difference at line ${i + 1} (actual ${a.length} lines, expected ${e.length})\n--- expected\n${ctx(e)}\n--- actual\n${ctx(a)}`,
  );
}
