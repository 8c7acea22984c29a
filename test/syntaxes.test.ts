// The BPF injection grammar: valid JSON, every regex compiles in Oniguruma, and real tokenization of sample lines.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as oniguruma from "vscode-oniguruma";
import * as vsctm from "vscode-textmate";

const require = createRequire(join(process.cwd(), "package.json"));
const GRAMMAR_PATH = "syntaxes/bpf-c.injection.tmLanguage.json";
const grammarText = readFileSync(GRAMMAR_PATH, "utf8");
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  contributes: { grammars: { scopeName: string; path: string; injectTo?: string[]; language?: string }[] };
};

/** A small stand-in for VS Code's C grammar: comments, strings, identifiers (enough to test the injection rules). */
const baseC = {
  scopeName: "source.c",
  patterns: [
    { begin: "/\\*", end: "\\*/", name: "comment.block.c" },
    { match: "//.*$", name: "comment.line.double-slash.c" },
    { begin: '"', end: '"', name: "string.quoted.double.c" },
    { match: "\\b[A-Za-z_]\\w*\\b", name: "identifier.c" },
  ],
};

let onigLib: Promise<vsctm.IOnigLib>;
beforeAll(() => {
  const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
  onigLib = oniguruma.loadWASM(wasm).then(() => ({
    createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  }));
});

function regexesOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) regexesOf(n, out);
  else if (typeof node === "object" && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      if ((k === "match" || k === "begin" || k === "end" || k === "while") && typeof v === "string") out.push(v);
      else regexesOf(v, out);
    }
  }
  return out;
}

async function tokenize(line: string): Promise<{ text: string; scopes: string[] }[]> {
  const registry = new vsctm.Registry({
    onigLib,
    loadGrammar: async (scopeName) => {
      if (scopeName === "source.c") return vsctm.parseRawGrammar(JSON.stringify(baseC), "c.json");
      if (scopeName === "source.c.bpf.injection") return vsctm.parseRawGrammar(grammarText, GRAMMAR_PATH);
      return null;
    },
    getInjections: (scopeName) => (scopeName === "source.c" ? ["source.c.bpf.injection"] : undefined),
  });
  const grammar = await registry.loadGrammar("source.c");
  if (grammar === null) throw new Error("grammar did not load");
  const r = grammar.tokenizeLine(line, vsctm.INITIAL);
  return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
}

async function scopesOf(line: string, text: string): Promise<string[]> {
  const tokens = await tokenize(line);
  const t = tokens.find((x) => x.text === text);
  if (t === undefined) throw new Error(`no token ${JSON.stringify(text)} in ${JSON.stringify(tokens.map((x) => x.text))}`);
  return t.scopes;
}

describe("grammar file", () => {
  it("is valid JSON with a scope name and an injection selector into source.c", () => {
    const g = JSON.parse(grammarText) as { scopeName: string; injectionSelector: string };
    expect(g.scopeName).toBe("source.c.bpf.injection");
    expect(g.injectionSelector).toMatch(/source\.c/);
  });

  it("is contributed as an injection into source.c without its own language id", () => {
    const entry = pkg.contributes.grammars.find((x) => x.scopeName === "source.c.bpf.injection");
    expect(entry).toBeDefined();
    expect(entry?.injectTo).toEqual(["source.c"]);
    expect(entry?.language).toBeUndefined();
    expect(`./${GRAMMAR_PATH}`).toBe(entry?.path);
  });

  it("has only regexes that Oniguruma compiles", async () => {
    await onigLib;
    const all = regexesOf(JSON.parse(grammarText));
    expect(all.length).toBeGreaterThan(10);
    for (const re of all) expect(() => new oniguruma.OnigScanner([re]), re).not.toThrow();
  });
});

describe("section strings are scoped by program kind", () => {
  it.each([
    ['SEC("kprobe/do_sys_openat2")', "kprobe/do_sys_openat2", "kprobe"],
    ['SEC("kretprobe/vfs_read")', "kretprobe/vfs_read", "kprobe"],
    ['SEC("?kprobe/x")', "?kprobe/x", "kprobe"],
    ['SEC("kprobe.multi/tcp_*")', "kprobe.multi/tcp_*", "kprobe"],
    ['SEC("uprobe.s//lib/libc.so.6:malloc")', "uprobe.s//lib/libc.so.6:malloc", "uprobe"],
    ['SEC("tracepoint/syscalls/sys_enter_execve")', "tracepoint/syscalls/sys_enter_execve", "tracepoint"],
    ['SEC("tp_btf/sched_switch")', "tp_btf/sched_switch", "tracepoint"],
    ['SEC("raw_tp/block_rq_issue")', "raw_tp/block_rq_issue", "tracepoint"],
    ['SEC("fentry.s/do_unlinkat")', "fentry.s/do_unlinkat", "tracing"],
    ['SEC("?lsm/bprm_check_security")', "?lsm/bprm_check_security", "lsm"],
    ['SEC("xdp")', "xdp", "xdp"],
    ['SEC("xdp.frags")', "xdp.frags", "xdp"],
    ['SEC("tc")', "tc", "tc"],
    ['SEC("tcx/ingress")', "tcx/ingress", "tc"],
    ['SEC("cgroup_skb/egress")', "cgroup_skb/egress", "cgroup"],
    ['SEC("socket")', "socket", "socket"],
    ['SEC("iter/task")', "iter/task", "iter"],
    ['SEC("struct_ops/cc_init")', "struct_ops/cc_init", "struct_ops"],
    ['SEC("perf_event")', "perf_event", "perf_event"],
    ['SEC(".maps")', ".maps", "data"],
    ['SEC(".data.tunables")', ".data.tunables", "data"],
    ['SEC(".bss.scratch")', ".bss.scratch", "data"],
    ['SEC(".struct_ops.link")', ".struct_ops.link", "data"],
    ['SEC("license")', "license", "data"],
    ['SEC("tpx/unknown")', "tpx/unknown", "other"],
    ['SEC("kprobes/x")', "kprobes/x", "other"],
  ])("%s", async (line, text, kind) => {
    const scopes = await scopesOf(`${line} int f(void *ctx)`, text);
    expect(scopes).toContain(`string.quoted.double.section.${kind}.bpf`);
    expect(await scopesOf(line, "SEC")).toContain("keyword.other.section.bpf");
  });

  it("leaves SEC inside comments and strings alone", async () => {
    expect(await scopesOf('// SEC("xdp")', '// SEC("xdp")')).not.toContain("keyword.other.section.bpf");
    const inString = await tokenize('const char *s = "SEC(\\"xdp\\")";');
    expect(inString.some((t) => t.scopes.some((s) => s.endsWith(".bpf")))).toBe(false);
  });
});

describe("libbpf macros", () => {
  it.each([
    ["__uint(type, BPF_MAP_TYPE_RINGBUF);", "__uint", "support.macro.map-definition.bpf"],
    ["__uint(type, BPF_MAP_TYPE_RINGBUF);", "type", "variable.other.property.map-field.bpf"],
    ["__uint(type, BPF_MAP_TYPE_RINGBUF);", "BPF_MAP_TYPE_RINGBUF", "support.constant.bpf"],
    ["__type(key, __u32);", "__type", "support.macro.map-definition.bpf"],
    ["__array(values, struct inner);", "__array", "support.macro.map-definition.bpf"],
    ["__ulong(map_extra, 1);", "__ulong", "support.macro.map-definition.bpf"],
    ["extern int bpf_ksym_x __ksym;", "__ksym", "storage.modifier.bpf"],
    ["extern unsigned int CONFIG_HZ __kconfig __weak;", "__kconfig", "storage.modifier.bpf"],
    ["extern unsigned int CONFIG_HZ __kconfig __weak;", "__weak", "storage.modifier.bpf"],
    ["int BPF_KPROBE(handle_open, int dfd)", "BPF_KPROBE", "support.function.macro.bpf"],
    ["int BPF_KPROBE(handle_open, int dfd)", "handle_open", "entity.name.function.bpf"],
    ["int BPF_PROG(on_switch, bool preempt)", "BPF_PROG", "support.function.macro.bpf"],
    ["int BPF_URETPROBE(ret, int rc)", "BPF_URETPROBE", "support.function.macro.bpf"],
  ])("%s: %s", async (line, text, scope) => {
    expect(await scopesOf(line, text)).toContain(scope);
  });

  it("does not colour look-alike identifiers", async () => {
    expect(await scopesOf("int my__uint(void);", "my__uint")).not.toContain("support.macro.map-definition.bpf");
    expect(await scopesOf("int BPF_KPROBEX(x)", "BPF_KPROBEX")).not.toContain("support.function.macro.bpf");
  });
});
