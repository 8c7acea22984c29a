// Conformance fixtures (test/fixtures/conformance): every object x profile x command through the CLI vs real bpftool.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectSameText } from "./helpers/golden.js";
import { isCleanFailure, runCli } from "./helpers/cli.js";

const ROOT = join(__dirname, "fixtures", "conformance");
const DIRS = { "7.7": "bpftool-v7.7.0", "7.1": "debian-7.1.0" } as const;
type Profile = keyof typeof DIRS;

/** Objects with `name NEW` goldens, and the name used (make.sh's OBJECTS table). */
const NAMED: Record<string, string> = { globals_zoo: "zoo", "weird-names.v2": "weird" };

interface Cmd {
  /** Golden file suffix and .err command tag, as make.sh names them. */
  readonly out: string;
  readonly tag: string;
  readonly args: (obj: string) => string[];
}

function commands(profile: Profile, name: string): Cmd[] {
  const cmds: Cmd[] = [
    { out: "skel.h", tag: "skel", args: (o) => ["gen", "skeleton", o] },
    { out: "subskel.h", tag: "subskel", args: (o) => ["gen", "subskeleton", o] },
    { out: "btf.txt", tag: "btf-raw", args: (o) => ["btf", "dump", "file", o] },
    { out: "btf.h", tag: "btf-c", args: (o) => ["btf", "dump", "file", o, "format", "c"] },
  ];
  if (profile === "7.7") cmds.push({ out: "unsorted.btf.h", tag: "btf-c-unsorted", args: (o) => ["btf", "dump", "file", o, "format", "c", "unsorted"] });
  const named = NAMED[name];
  if (named !== undefined) {
    cmds.push({ out: "named.skel.h", tag: "skel-named", args: (o) => ["gen", "skeleton", o, "name", named] });
    cmds.push({ out: "named.subskel.h", tag: "subskel-named", args: (o) => ["gen", "subskeleton", o, "name", named] });
  }
  return cmds;
}

function objects(): string[] {
  return readdirSync(join(ROOT, "obj"))
    .filter((f) => f.endsWith(".bpf.o"))
    .map((f) => f.slice(0, -".bpf.o".length))
    .sort();
}

function readIf(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

describe.each(Object.keys(DIRS) as Profile[])("bpftool %s", (profile) => {
  const dir = join(ROOT, "golden", DIRS[profile]);
  const cases = objects().flatMap((name) => commands(profile, name).map((c) => [`${name} ${c.tag}`, name, c] as const));

  it.each(cases)("%s", (_label, name, cmd) => {
    const r = runCli(["--bpftool", profile, ...cmd.args(`obj/${name}.bpf.o`)], ROOT);
    const want = readIf(join(dir, `${name}.${cmd.out}`));
    const err = readIf(join(dir, `${name}.${cmd.tag}.err`));
    if (want !== undefined) {
      expect(r.status, `bpftool exited 0; our stderr: ${r.stderr}`).toBe(0);
      expectSameText(r.stdout, want, `${name}.${cmd.out} (${profile})`);
      return;
    }
    // bpftool failed: the .err file has `exit=N` then its stderr, whose last line is its `Error:` line.
    expect(err, `neither ${name}.${cmd.out} nor ${name}.${cmd.tag}.err exists`).toBeDefined();
    const [first = "", ...stderr] = (err ?? "").split("\n");
    expect(r.status).toBe(Number(first.replace("exit=", "")));
    expect(isCleanFailure(r), `stdout ${r.stdout.length} bytes, stderr: ${r.stderr}`).toBe(true);
    expect(r.stdout).toBe(readIf(join(dir, `${name}.${cmd.tag}.stdout`)) ?? "");
    const bpftoolError = stderr.filter((l) => l.startsWith("Error: ")).pop();
    expect(r.stderr.trim()).toBe(bpftoolError);
  });
});
