// Hostile names (HTML, markdown, `*/`, newlines, control and bidi characters) from an object stay inert in hover
// markdown, explorer labels and tooltips, tree-request data and diagnostics; generated C stays byte-identical to bpftool.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { objectChildren, type NodeModel } from "../../client/src/tree/nodes.js";
import { dumpC } from "../../server/src/core/btf/c-dump/index.js";
import { openObject } from "../../server/src/core/object/index.js";
import { PROFILES } from "../../server/src/core/profile.js";
import { generateSkeleton } from "../../server/src/core/skel/index.js";
import { sourceDiagnostics } from "../../server/src/lsp/diagnostics.js";
import { hoverMarkdown } from "../../server/src/lsp/hover.js";
import { CTypes } from "../../server/src/lsp/model/ctype.js";
import { buildObjectInfo } from "../../server/src/lsp/model/object-info.js";
import { datasecNodes, mapNodes, programGroups, summary } from "../../server/src/lsp/views.js";
import { BtfBuilder, buildBpfObject, returnZero, STT, type SymbolSpec } from "../helpers/btf-writer.js";
import { expectSameText } from "../helpers/golden.js";
import { HOSTILE_NAMES } from "./gen-btf.js";

/** Characters that must never reach rendered text raw: C0/C1 controls (tab and newline aside), DEL, bidi controls. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** An object whose struct, member, enumerator, variable, function and section names are all hostile. */
function hostileObject(): Uint8Array {
  const b = new BtfBuilder();
  const int = b.int("int", 4, { signed: true });
  const members = HOSTILE_NAMES.map((name, i) => ({ name, type: int, bitOffset: i * 32 }));
  const structs = HOSTILE_NAMES.map((name) => b.struct(name, HOSTILE_NAMES.length * 4, members));
  HOSTILE_NAMES.forEach((name, i) => {
    b.enum(`${name}_e`, 4, [[name, i]]);
  });
  const vars = HOSTILE_NAMES.map((name, i) => b.variable(name, structs[i] as number, 1));
  const size = HOSTILE_NAMES.length * 4;
  b.datasec(".data", size * HOSTILE_NAMES.length, vars.map((v, i) => ({ type: v, offset: i * size, size })));
  const proto = b.funcProto(int, [["ctx", b.ptr(0)]]);
  const programs: Record<string, Uint8Array> = {};
  const symbols: SymbolSpec[] = HOSTILE_NAMES.map((name, i) => ({ name, section: ".data", value: i * size, size, type: STT.OBJECT }));
  HOSTILE_NAMES.forEach((name) => {
    b.func(name, proto, 1);
    programs[`kprobe/${name}`] = returnZero();
    symbols.push({ name, section: `kprobe/${name}`, value: 0, size: 16, type: STT.FUNC });
  });
  return buildBpfObject({ btf: b.encode(), programs, data: new Uint8Array(size * HOSTILE_NAMES.length), license: "GPL", symbols });
}

/** Markdown with code blocks and code spans removed: what a renderer would interpret as markup. */
function markupOnly(md: string): string {
  let out = "";
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})/.exec(lines[i] ?? "");
    if (open) {
      const fence = open[1] as string;
      i++;
      while (i < lines.length && (lines[i] ?? "").trim() !== fence) i++;
      continue;
    }
    out += `${(lines[i] ?? "").replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, "")}\n`;
  }
  return out;
}

function markdownProblems(md: string, where: string): string[] {
  const p: string[] = [];
  if (RAW_CONTROL.test(md)) p.push(`${where}: raw control/bidi character`);
  const markup = markupOnly(md);
  // A `<` or `](` counts unless backslash-escaped (an odd number of backslashes before it).
  const tag = /(^|[^\\])(\\\\)*<[A-Za-z/!?]/;
  if (tag.test(markup)) p.push(`${where}: raw HTML tag outside code: ${markup.slice(markup.search(tag), 60)}`);
  if (/(^|[^\\])(\\\\)*\]\(/.test(markup)) p.push(`${where}: link syntax outside code`);
  return p;
}

const info = buildObjectInfo("/hostile/hostile.bpf.o", hostileObject(), PROFILES["7.7"]);

describe("hostile names", () => {
  it("the hostile object opens (so every view below really sees the names)", () => {
    expect(info.error).toBeUndefined();
    expect(info.btf?.idsByName("<script>alert(1)</script>").length).toBeGreaterThan(0);
    expect(info.datasecs.flatMap((d) => d.vars.map((v) => v.name))).toEqual(expect.arrayContaining([...HOSTILE_NAMES]));
  });

  it.each([...HOSTILE_NAMES])("hover markdown for %j is inert", (name) => {
    const btf = info.btf;
    if (!btf) throw new Error("no BTF");
    const c = new CTypes(btf, PROFILES["7.7"]);
    const problems: string[] = [];
    let hovers = 0;
    for (const before of [undefined, "struct", "enum"]) {
      const md = hoverMarkdown(info, c, { word: name, start: 0, end: name.length, before });
      if (md === undefined) continue;
      hovers++;
      problems.push(...markdownProblems(md, `hover (${before ?? "plain"})`));
    }
    expect(hovers, "a hover exists for the name").toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it("explorer labels are plain single lines and tooltips are inert markdown", () => {
    const btf = info.btf;
    if (!btf) throw new Error("no BTF");
    const c = new CTypes(btf, PROFILES["7.7"]);
    const locate = (): undefined => undefined;
    const tree = {
      object: summary(info, "file:///hostile/hostile.bpf.o", [], 0, 0),
      programs: programGroups(info, locate),
      maps: mapNodes(info, c, locate),
      datasecs: datasecNodes(info, c, locate),
    };
    const problems: string[] = [];
    let nodes = 0;
    const walk = (n: NodeModel): void => {
      nodes++;
      for (const [what, s] of [["label", n.label], ["description", n.description ?? ""]] as const) {
        if (RAW_CONTROL.test(s) || /[\n\r\u2028\u2029]/.test(s)) problems.push(`${n.id} ${what}: ${JSON.stringify(s)}`);
      }
      if (n.tooltip) problems.push(...markdownProblems(n.tooltip, `${n.id} tooltip`));
      for (const child of n.children ?? []) walk(child);
    };
    for (const n of objectChildren(tree, true)) walk(n);
    expect(nodes, "programs, sections and variables were rendered").toBeGreaterThan(HOSTILE_NAMES.length * 2);
    expect(problems).toEqual([]);
  });

  it("diagnostics carry no raw control characters", () => {
    const diags = sourceDiagnostics({
      text: HOSTILE_NAMES.map((n) => `SEC("kprobe/${n}") int x(void *ctx) { return 0; }`).join("\n"),
      object: "/hostile/hostile.bpf.o",
      searched: [],
      info,
      sourceMtimeMs: 0,
      objectMtimeMs: 1,
    });
    for (const d of diags) expect(RAW_CONTROL.test(d.message), d.message).toBe(false);
  });
});

describe("generated C with hostile names", () => {
  // bpftool prints names that break the header (`*/`, newlines, `<`) as they are, and so must we; the API says so.
  it("generateSkeleton warns when a variable or program name is not a C identifier", () => {
    const obj = openObject(hostileObject(), { profile: PROFILES["7.7"], name: "hostile" });
    const { text, warnings } = generateSkeleton(obj, { profile: PROFILES["7.7"], kind: "skeleton" });
    expect(text).toContain("x */ int evil; /*");
    expect(warnings.some((w) => w.includes("x */ int evil; /*"))).toBe(true);
  });
});

const BPFTOOL = "/usr/sbin/bpftool";
const haveBpftool = existsSync(BPFTOOL) && spawnSync(BPFTOOL, ["version"], { encoding: "utf8" }).stdout.includes("v7.1.0");

describe("hostile names in generated C match Debian bpftool 7.1 byte for byte", () => {
  it("btf dump format c of the hostile object", () => {
    expect(haveBpftool, `${BPFTOOL} (Debian bpftool 7.1.0, the oracle) is missing: apt-get install bpftool`).toBe(true);
    const obj = hostileObject();
    const path = join(mkdtempSync(join(tmpdir(), "btf-lens-hostile-")), "hostile.bpf.o");
    writeFileSync(path, obj);
    const real = spawnSync(BPFTOOL, ["btf", "dump", "file", path, "format", "c"], { encoding: "utf8" });
    expect(real.status, real.stderr).toBe(0);
    let ours = "";
    const info7 = buildObjectInfo(path, obj, PROFILES["7.1"]);
    if (!info7.btf) throw new Error("no BTF");
    dumpC(info7.btf, { profile: PROFILES["7.1"] }, (s) => {
      ours += s;
    });
    expect(ours).toContain("*/");
    expectSameText(ours, real.stdout, "hostile format c");
  });
});
