// `btf dump file X format c [unsorted]` against real bpftool goldens, for every corpus object, vmlinux, both profiles.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isCleanFailure, runCli } from "./helpers/cli.js";
import { corpusObjects, expectSameText, golden, goldenError, objectPath, readVmlinuxBtf, type GoldenProfile } from "./helpers/golden.js";

const profiles: GoldenProfile[] = ["7.7", "7.1"];

/** Checks one CLI run against the golden `.h`, or against the `.err` record when bpftool failed. */
function expectLikeBpftool(profile: GoldenProfile, name: string, file: string, errCmd: string, args: string[]): void {
  const r = runCli(["--bpftool", profile, "btf", "dump", "file", objectPath(name), ...args]);
  const want = golden(profile, file);
  if (want !== undefined) {
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expectSameText(r.stdout, want, `${name} ${args.join(" ")} (${profile})`);
  } else {
    const err = goldenError(profile, name, errCmd);
    expect(err, `bpftool neither succeeded nor failed on ${name}`).toBeDefined();
    expect(isCleanFailure(r), `stderr: ${r.stderr}`).toBe(true);
    expect(r.status).toBe(err?.exit);
  }
}

describe.each(profiles)("btf dump format c, profile %s", (profile) => {
  it.each(corpusObjects())("%s", (name) => {
    expectLikeBpftool(profile, name, `${name}.btf.h`, "btf-c", ["format", "c"]);
  });
});

describe("btf dump format c unsorted, profile 7.7", () => {
  it.each(corpusObjects())("%s", (name) => {
    expectLikeBpftool("7.7", name, `${name}.unsorted.btf.h`, "btf-c-unsorted", ["format", "c", "unsorted"]);
  });
});

describe("vmlinux BTF", () => {
  const dir = mkdtempSync(join(tmpdir(), "btf-lens-cdump-"));
  const path = join(dir, "vmlinux.btf");
  writeFileSync(path, readVmlinuxBtf());
  const cases: [GoldenProfile, string[], string][] = [
    ["7.7", [], "vmlinux.btf.h"],
    ["7.7", ["unsorted"], "vmlinux.unsorted.btf.h"],
    ["7.1", [], "vmlinux.btf.h"],
  ];
  it.each(cases)("profile %s format c %j", (profile, extra, file) => {
    const r = runCli(["--bpftool", profile, "btf", "dump", "file", path, "format", "c", ...extra]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expectSameText(r.stdout, golden(profile, file) ?? "<missing golden>", `vmlinux ${file} (${profile})`);
  });
});

describe("`unsorted` under profile 7.1", () => {
  it("is rejected as bpftool 7.1 rejects it", () => {
    // Debian's bpftool 7.1: `Error: unrecognized option: 'unsorted'`, exit 234 (-EINVAL).
    const r = runCli(["--bpftool", "7.1", "btf", "dump", "file", objectPath("tcpconn"), "format", "c", "unsorted"]);
    expect(isCleanFailure(r), `stderr: ${r.stderr}`).toBe(true);
    expect(r.status).toBe(234);
    expect(r.stderr).toBe("Error: unrecognized option: 'unsorted'\n");
  });

  it("comes after loading the file, as in bpftool (a missing file wins: exit 254)", () => {
    const r = runCli(["--bpftool", "7.1", "btf", "dump", "file", objectPath("no_such_object"), "format", "c", "unsorted"]);
    expect(isCleanFailure(r), `stderr: ${r.stderr}`).toBe(true);
    expect(r.status).toBe(254);
    expect(r.stderr).toContain("failed to load BTF from");
  });

  it("is accepted (abbreviated too) under profile 7.7", () => {
    const r = runCli(["btf", "dump", "file", objectPath("tcpconn"), "format", "c", "unsort"]);
    expect(r.status).toBe(0);
    expectSameText(r.stdout, golden("7.7", "tcpconn.unsorted.btf.h") ?? "<missing golden>", "abbreviated unsorted");
  });
});
