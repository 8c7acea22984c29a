// Diagnostics for corpus sources: profile limits, skeleton exposure, invalid names, missing BTF, stale and broken objects.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceDiagnostics } from "../../server/src/lsp/diagnostics.js";
import { MemoryFileAccessor, nodeFileAccessor } from "../../server/src/lsp/files.js";
import { Workspace } from "../../server/src/lsp/workspace.js";
import { CORPUS, golden, goldenError, objectPath } from "../helpers/golden.js";

async function diagnose(name: string, source: string, profile: "7.7" | "7.1", times: { src?: number; obj?: number } = {}) {
  const ws = new Workspace(nodeFileAccessor, [CORPUS]);
  ws.updateSettings({ bpftoolVersion: profile });
  const loaded = await ws.load(objectPath(name));
  const text = readFileSync(join(CORPUS, "src", source), "utf8");
  return sourceDiagnostics({
    text,
    object: objectPath(name),
    searched: [],
    info: loaded?.info,
    sourceMtimeMs: times.src,
    objectMtimeMs: times.obj,
  });
}

describe("diagnostics", () => {
  it.each(["7.7", "7.1"] as const)("custom .bss.* sections are flagged only under 7.1 (profile %s)", async (profile) => {
    const d = await diagnose("config_layout", "config_layout.bpf.c", profile);
    const bss = d.filter((x) => x.code === "profile-unsupported" && x.message.includes(".bss.scratch"));
    // bpftool 7.1's skeleton has no bss_scratch member; 7.7's has one.
    const inSkel = golden(profile, "config_layout.skel.h")!.includes("*bss_scratch;");
    expect(bss.length > 0).toBe(!inSkel);
  });

  it.each(["7.7", "7.1"] as const)(".struct_ops.link is flagged only where libbpf lacks it (profile %s)", async (profile) => {
    const d = await diagnose("tcp_cc_link", "tcp_cc_link.bpf.c", profile);
    const flagged = d.some((x) => x.code === "profile-unsupported" && x.message.includes(".struct_ops.link"));
    expect(flagged).toBe(profile === "7.1");
    if (flagged) expect(d.find((x) => x.message.includes(".struct_ops.link"))?.range.start.line).toBe(48);
  });

  it.each(["7.7", "7.1"] as const)("globals left out of the skeleton get an information diagnostic (profile %s)", async (profile) => {
    const d = await diagnose("config_layout", "config_layout.bpf.c", profile);
    const skel = golden(profile, "config_layout.skel.h")!;
    const out = d.filter((x) => x.code === "not-in-skeleton").map((x) => x.message.split(" ")[0]);
    expect(out).toContain("private_counter");
    // __hidden globals: left out by 7.7, kept by 7.1, as the goldens show.
    expect(out.includes("hidden_counter")).toBe(!skel.includes("hidden_counter;"));
    for (const name of out) expect(skel).not.toMatch(new RegExp(`[ *]${name}(\\[|;)`));
  });

  it("an object name that is not a C identifier", async () => {
    const d = await diagnose("4tuple_acct", "4tuple_acct.bpf.c", "7.7");
    const bad = d.find((x) => x.code === "invalid-object-name");
    expect(bad?.message).toContain('"4tuple_acct_bpf"');
    // bpftool really does emit the invalid identifier.
    expect(golden("7.7", "4tuple_acct.skel.h")).toContain("struct 4tuple_acct_bpf {");
    expect((await diagnose("tcpconn", "tcpconn.bpf.c", "7.7")).some((x) => x.code === "invalid-object-name")).toBe(false);
  });

  it.each(["7.7", "7.1"] as const)("an object libbpf cannot open, like bpftool (profile %s)", async (profile) => {
    const d = await diagnose("libstats_b", "libstats_b.bpf.c", profile);
    const err = goldenError(profile, "libstats_b", "skel");
    expect(err?.exit).not.toBe(0);
    const diag = d.find((x) => x.code === "libbpf-open-error");
    expect(diag?.message).toContain("stats_enabled");
    expect(err?.stderr).toContain("stats_enabled");
    expect((await diagnose("libstats", "libstats_a.bpf.c", profile)).some((x) => x.code === "libbpf-open-error")).toBe(false);
  });

  it("an object without BTF explains -g", async () => {
    const d = await diagnose("icmp_filter_nobtf", "icmp_filter.bpf.c", "7.7");
    expect(d.find((x) => x.code === "no-btf")?.message).toMatch(/-g/);
  });

  it("a stale object", async () => {
    const stale = await diagnose("tcpconn", "tcpconn.bpf.c", "7.7", { src: 2000, obj: 1000 });
    expect(stale.some((x) => x.code === "stale-object")).toBe(true);
    const fresh = await diagnose("tcpconn", "tcpconn.bpf.c", "7.7", { src: 1000, obj: 2000 });
    expect(fresh.some((x) => x.code === "stale-object")).toBe(false);
  });

  it("no object: says where it looked", () => {
    const d = sourceDiagnostics({ text: "", object: undefined, searched: ["/a/x.bpf.o", "/a/.output/x.bpf.o"], info: undefined, sourceMtimeMs: 1, objectMtimeMs: undefined });
    expect(d).toHaveLength(1);
    expect(d[0]?.message).toContain("/a/x.bpf.o, /a/.output/x.bpf.o");
  });

  it("a malformed object gives exactly one error with the parser's message", async () => {
    const fs = new MemoryFileAccessor();
    const good = new Uint8Array(readFileSync(objectPath("tcpconn")));
    fs.write("/ws/t.bpf.o", good.subarray(0, 600), 1);
    const ws = new Workspace(fs, ["/ws"], { retries: 0 });
    const info = (await ws.load("/ws/t.bpf.o"))!.info;
    const d = sourceDiagnostics({ text: "", object: "/ws/t.bpf.o", searched: [], info, sourceMtimeMs: 0, objectMtimeMs: 1 });
    expect(d).toHaveLength(1);
    expect(d[0]?.code).toBe("malformed-object");
    expect(d[0]?.message).toContain(info.error!);
  });
});
