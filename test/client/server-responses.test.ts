// The client's view logic on real responses: starts the built language server (dist/server.js --stdio) on a copy of
// the corpus and feeds its answers to the explorer node builder and the layout model, one test per corpus object.

import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { overwriteDecision } from "../../client/src/skeleton-file.js";
import { groupTypesByKind, type NodeModel, objectChildren, objectNode, TYPE_PAGE_SIZE, typeKindNodes, typeRangeChildren } from "../../client/src/tree/nodes.js";
import { Layout, ObjectForSource, Objects, ObjectTree, OpenFile, Skeleton, TypeDefinition, Types } from "../../server/src/protocol.js";
import { rankTypes } from "../../client/src/type-rank.js";
import { buildSections } from "../../webview/src/model.js";
import { corpusObjects, readVmlinuxBtf } from "../helpers/golden.js";

const SERVER = join(__dirname, "..", "..", "dist", "server.js");
const CORPUS = join(__dirname, "..", "fixtures", "corpus");

let child: ChildProcess;
let conn: MessageConnection;
let ws: string;

beforeAll(async () => {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npm run build first`);
  ws = mkdtempSync(join(tmpdir(), "btf-lens-client-"));
  mkdirSync(join(ws, "src"));
  cpSync(join(CORPUS, "src"), join(ws, "src"), { recursive: true });
  cpSync(join(CORPUS, "include"), join(ws, "include"), { recursive: true });
  // Objects beside their sources, as most builds leave them.
  cpSync(join(CORPUS, "obj"), join(ws, "src"), { recursive: true });
  child = spawn(process.execPath, [SERVER, "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  conn.listen();
  const root = pathToFileURL(ws).toString();
  await conn.sendRequest("initialize", { processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: "ws" }], capabilities: {} });
  conn.sendNotification("initialized", {});
});

afterAll(() => {
  conn?.dispose();
  child?.kill();
  if (ws) rmSync(ws, { recursive: true, force: true });
});

function walk(nodes: NodeModel[], f: (n: NodeModel) => void): void {
  for (const n of nodes) {
    f(n);
    if (n.children) walk(n.children, f);
  }
}

const objectUri = (name: string) => pathToFileURL(join(ws, "src", `${name}.bpf.o`)).toString();

describe("explorer and layout from the real server", () => {
  it("lists every corpus object", async () => {
    const { objects } = await conn.sendRequest(Objects.type, {});
    const names = objects.map((o) => o.path.split("/").pop());
    for (const n of corpusObjects()) expect(names).toContain(`${n}.bpf.o`);
    for (const o of objects) expect(objectNode(o).id).toBe(o.uri);
  });

  it.each(corpusObjects())("%s", async (name) => {
    const uri = objectUri(name);
    const tree = await conn.sendRequest(ObjectTree.type, { uri });
    const kids = objectChildren(tree, true);
    if (tree.error !== undefined) {
      expect(kids.map((k) => k.kind)).toEqual(["message"]);
      return;
    }
    // Every program, map and variable of the response is a row with the description the explorer promises.
    const ids: string[] = [];
    const rows = new Map<string, NodeModel[]>();
    walk(kids, (n) => {
      ids.push(n.id);
      rows.set(n.kind, [...(rows.get(n.kind) ?? []), n]);
    });
    expect(new Set(ids).size).toBe(ids.length);
    expect(rows.get("program")?.length ?? 0).toBe(tree.programs.reduce((s, g) => s + g.programs.length, 0));
    expect(rows.get("map")?.length ?? 0).toBe(tree.maps.length);
    const vars = tree.datasecs.flatMap((d) => d.variables);
    expect((rows.get("variable") ?? []).map((v) => v.description)).toEqual(vars.map((v) => `offset ${v.offset} · ${v.size} B`));

    // The layout tiles each data section exactly: variables, padding and holes cover [0, size) once.
    const layout = await conn.sendRequest(Layout.type, { uri });
    expect(layout.error).toBeUndefined();
    const sections = buildSections(layout.nodes, layout.cacheLineSize);
    // (The tree lists every DATASEC, license and .ksyms included; the layout only the data sections.)
    for (const s of sections) expect(tree.datasecs.map((d) => d.name)).toContain(s.name);
    for (const s of sections) {
      let at = 0;
      for (const r of s.rows) {
        expect(r.offset, `${s.name} row ${r.name || r.kind} at ${r.offset}`).toBe(at);
        at = r.offset + r.size;
      }
      expect(at).toBe(s.size);
      const d = tree.datasecs.find((x) => x.name === s.name)!;
      expect(s.rows.filter((r) => r.kind === "variable").map((r) => [r.name, r.offset, r.size])).toEqual(
        d.variables.map((v) => [v.name, v.offset, v.size]),
      );
    }

    // What Generate Skeleton writes is recognised as generated next time (overwritten without asking).
    const skel = await conn.sendRequest(Skeleton.type, { uri, kind: "skeleton" });
    if (skel.error === undefined) {
      expect(overwriteDecision(new TextEncoder().encode(skel.text).subarray(0, 512))).toBe("overwrite");
      expect(skel.fileName).toMatch(/\.skel\.h$/);
    }
  });

  it("maps a source to the object beside it (status item)", async () => {
    const r = await conn.sendRequest(ObjectForSource.type, { uri: pathToFileURL(join(ws, "src", "config_layout.bpf.c")).toString() });
    expect(r.isBpfSource).toBe(true);
    expect(r.object).toBe(objectUri("config_layout"));
  });

  it("opens the vmlinux BTF, pages its types and finds task_struct", async () => {
    const path = join(ws, "vmlinux");
    writeFileSync(path, readVmlinuxBtf());
    const o = await conn.sendRequest(OpenFile.type, { path });
    expect(o.format).toBe("raw-btf");
    expect(objectNode(o).description).toMatch(/^raw BTF · \d+ types$/);
    const t0 = performance.now();
    const r = await conn.sendRequest(Types.type, { uri: o.uri });
    const fetchMs = performance.now() - t0;
    expect(r.types.length).toBeGreaterThan(10_000);
    const groups = groupTypesByKind(r.types);
    const kinds = typeKindNodes(o.uri, groups);
    const structs = kinds.find((k) => k.label === "struct")!;
    const pages = typeRangeChildren(o.uri, "struct", groups.get("struct")!, structs.range!);
    expect(pages.every((p) => p.kind === "typePage")).toBe(true);
    expect(pages.length).toBe(Math.ceil(groups.get("struct")!.length / TYPE_PAGE_SIZE));
    const t1 = performance.now();
    const hit = rankTypes(r.types, "task_struct", 200);
    const rankMs = performance.now() - t1;
    expect(hit[0]?.name).toBe("task_struct");
    const def = await conn.sendRequest(TypeDefinition.type, { uri: o.uri, id: hit[0]!.id });
    expect(def.text).toContain("struct task_struct {");
    // Timings are printed for information only; speed targets live in npm run bench.
    console.log(`vmlinux: ${r.types.length} named types fetched in ${fetchMs.toFixed(0)} ms, ranked in ${rankMs.toFixed(1)} ms`);
  });
});
