// A real LSP session with dist/server.js over stdio: initialize, open a corpus source, hover, custom requests, live updates.

import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MessageConnection, StreamMessageReader, StreamMessageWriter, createMessageConnection } from "vscode-jsonrpc/node";
import type { Diagnostic, Hover, InitializeResult, PublishDiagnosticsParams } from "vscode-languageserver-protocol";
import * as P from "../../server/src/protocol.js";
import { CORPUS, golden, objectPath, readVmlinuxBtf } from "../helpers/golden.js";

const SERVER = join(__dirname, "..", "..", "dist", "server.js");
const CLI = join(__dirname, "..", "..", "dist", "cli.js");

interface Session {
  proc: ChildProcess;
  conn: MessageConnection;
  diagnostics: Map<string, Diagnostic[]>;
  changed: P.ObjectChanged.Params[];
  waitDiagnostics(uri: string, pred?: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]>;
  init: InitializeResult;
}

async function startSession(root: string, argv: string[] = [SERVER, "--stdio"]): Promise<Session> {
  const proc = spawn(process.execPath, argv, { stdio: ["pipe", "pipe", "pipe"] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const diagnostics = new Map<string, Diagnostic[]>();
  const changed: P.ObjectChanged.Params[] = [];
  const waiters: (() => void)[] = [];
  conn.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
    diagnostics.set(p.uri, p.diagnostics);
    for (const w of waiters.splice(0)) w();
  });
  conn.onNotification(P.ObjectChanged.type, (p) => {
    changed.push(p);
    for (const w of waiters.splice(0)) w();
  });
  conn.listen();
  const rootUri = pathToFileURL(root).href;
  const init = (await conn.sendRequest("initialize", {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: "ws" }],
    capabilities: {},
    initializationOptions: { settings: { bpftoolVersion: "7.7", objectSearchPaths: [] } },
  })) as InitializeResult;
  await conn.sendNotification("initialized", {});
  const waitDiagnostics = async (uri: string, pred: (d: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> => {
    for (let i = 0; i < 200; i++) {
      const d = diagnostics.get(uri);
      if (d && pred(d)) return d;
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
    throw new Error(`no matching diagnostics for ${uri}: ${JSON.stringify(diagnostics.get(uri))}`);
  };
  return { proc, conn, diagnostics, changed, waitDiagnostics, init };
}

async function stop(s: Session): Promise<void> {
  await s.conn.sendRequest("shutdown");
  await s.conn.sendNotification("exit");
  s.conn.dispose();
  s.proc.kill();
}

function open(s: Session, path: string): { uri: string; text: string } {
  const text = readFileSync(path, "utf8");
  const uri = pathToFileURL(path).href;
  void s.conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "c", version: 1, text } });
  return { uri, text };
}

function positionOf(text: string, needle: string): { line: number; character: number } {
  const off = text.indexOf(needle);
  if (off < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, off);
  return { line: before.split("\n").length - 1, character: off - (before.lastIndexOf("\n") + 1) };
}

describe("language server over stdio on the corpus", () => {
  let s: Session;
  const src = join(CORPUS, "src", "config_layout.bpf.c");
  const objUri = pathToFileURL(objectPath("config_layout")).href;
  beforeAll(async () => {
    s = await startSession(CORPUS);
  });
  afterAll(async () => {
    await stop(s);
  });

  it("announces hover and the BTF Lens features", () => {
    expect(s.init.capabilities.hoverProvider).toBe(true);
    const f = (s.init.capabilities.experimental as Record<string, P.ServerFeatures>)[P.EXPERIMENTAL_KEY];
    expect(f?.protocolVersion).toBe(P.PROTOCOL_VERSION);
    expect(f?.skeleton && f.layout && f.objectTree && f.types).toBe(true);
  });

  it("finds the object through line_info, hovers and publishes diagnostics", async () => {
    const { uri, text } = open(s, src);
    const ofs = await s.conn.sendRequest(P.ObjectForSource.type, { uri });
    expect(ofs).toMatchObject({ object: objUri, origin: "line-info", isBpfSource: true, name: "config_layout_bpf" });

    const hover = (await s.conn.sendRequest("textDocument/hover", {
      textDocument: { uri },
      position: positionOf(text, "bss_hits"),
    })) as Hover;
    const md = (hover.contents as { value: string }).value;
    expect(md).toContain("skel->bss->bss_hits");
    expect(md).toContain("offset 16, size 8 bytes");

    const diags = await s.waitDiagnostics(uri, (d) => d.some((x) => x.code === "not-in-skeleton"));
    const hidden = diags.find((d) => d.message.startsWith("hidden_counter"));
    expect(hidden?.code).toBe("not-in-skeleton");
    expect(hidden?.range.start).toEqual(positionOf(text, "hidden_counter"));
  });

  it("answers the custom requests", async () => {
    const objects = await s.conn.sendRequest(P.Objects.type, {});
    const mine = objects.objects.find((o) => o.uri === objUri);
    expect(mine?.sources).toContain(pathToFileURL(src).href);

    const tree = await s.conn.sendRequest(P.ObjectTree.type, { uri: objUri });
    const prog = tree.programs.flatMap((g) => g.programs).find((p) => p.name === "audit_openat");
    expect(prog).toMatchObject({ section: "tp/syscalls/sys_enter_openat", progType: "tracepoint", skelProg: "skel->progs.audit_openat" });
    expect(prog?.location?.uri).toBe(pathToFileURL(src).href);
    expect(prog?.location?.range.start).toEqual(positionOf(readFileSync(src, "utf8"), "audit_openat("));
    const bss = tree.datasecs.find((d) => d.name === ".bss");
    expect(bss?.variables.find((v) => v.name === "bss_hits")).toMatchObject({ offset: 16, size: 8, exposed: true });

    const layout = await s.conn.sendRequest(P.Layout.type, { uri: objUri, section: ".bss" });
    const sec = layout.nodes.find((n) => n.kind === "section");
    expect(sec?.size).toBe(bss?.size);
    const covered = layout.nodes.filter((n) => n.parent === sec?.id).reduce((a, n) => a + (n.kind === "padding" ? n.size : 0), 0);
    expect(covered).toBeGreaterThanOrEqual(0);
    // Variables and padding tile the section: each node starts where the previous one ended or overlaps nothing.
    let end = 0;
    for (const n of layout.nodes.filter((x) => x.parent === sec?.id)) {
      expect(n.offset).toBeGreaterThanOrEqual(end);
      if (n.kind === "padding") expect(n.offset).toBe(end);
      end = n.offset + n.size;
      expect(n.cacheLine).toBe(Math.floor(n.offset / 64));
    }
    expect(end).toBe(sec?.size);

    const skel = await s.conn.sendRequest(P.Skeleton.type, { uri: objUri, kind: "skeleton" });
    expect(skel.error).toBeUndefined();
    expect(skel.text).toBe(golden("7.7", "config_layout.skel.h"));
    expect(skel.fileName).toBe("config_layout.skel.h");
    const skel71 = await s.conn.sendRequest(P.Skeleton.type, { uri: objUri, kind: "subskeleton", profile: "7.1" });
    expect(skel71.text).toBe(golden("7.1", "config_layout.subskel.h"));

    const types = await s.conn.sendRequest(P.Types.type, { uri: objUri, query: "audit_cfg" });
    const t = types.types.find((x) => x.name === "audit_cfg" && x.kind === "struct");
    expect(t).toBeDefined();
    const def = await s.conn.sendRequest(P.TypeDefinition.type, { uri: objUri, id: t!.id });
    expect(def.text).toMatch(/^struct audit_cfg \{\n/);
    expect(golden("7.7", "config_layout.btf.h")).toContain(def.text);
  });

  it("switches profile when the settings change (hidden globals: left out by 7.7, kept by 7.1)", async () => {
    const { uri, text } = open(s, src);
    const hoverHidden = async (): Promise<string> => {
      const h = (await s.conn.sendRequest("textDocument/hover", { textDocument: { uri }, position: positionOf(text, "hidden_counter") })) as Hover;
      return (h.contents as { value: string }).value;
    };
    expect(await hoverHidden()).toContain("Not in the skeleton");
    await s.conn.sendNotification("workspace/didChangeConfiguration", { settings: { btfLens: { bpftoolVersion: "7.1" } } });
    expect(await hoverHidden()).toContain("skel->bss->hidden_counter");
    expect(golden("7.1", "config_layout.skel.h")).toContain("hidden_counter;");
    await s.conn.sendNotification("workspace/didChangeConfiguration", { settings: { btfLens: { bpftoolVersion: "7.7" } } });
    expect(await hoverHidden()).toContain("Not in the skeleton");
  });

  it("rejects unknown objects with an error response", async () => {
    await expect(s.conn.sendRequest(P.ObjectTree.type, { uri: pathToFileURL(join(CORPUS, "nope.o")).href })).rejects.toThrow(/no such object/);
  });
});

describe("language server: live updates and broken objects", () => {
  let s: Session;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "btf-lens-lsp-"));
    copyFileSync(join(CORPUS, "src", "icmp_filter.bpf.c"), join(dir, "icmp_filter.bpf.c"));
    copyFileSync(objectPath("icmp_filter"), join(dir, "icmp_filter.bpf.o"));
    writeFileSync(join(dir, "broken.bpf.c"), 'SEC("xdp") int f(void *ctx) { return 0; }\n');
    writeFileSync(join(dir, "broken.bpf.o"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]));
    s = await startSession(dir);
  });
  afterAll(async () => {
    await stop(s);
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives one diagnostic with the parser's error for a malformed object, and keeps serving", async () => {
    const { uri } = open(s, join(dir, "broken.bpf.c"));
    const d = await s.waitDiagnostics(uri, (x) => x.length > 0);
    expect(d).toHaveLength(1);
    expect(d[0]?.code).toBe("malformed-object");
    expect(d[0]?.message).toMatch(/ELF header/);
    const h = await s.conn.sendRequest("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 12 } });
    expect(h).toBeNull();
  });

  it("opens a raw BTF file by path and serves its types", async () => {
    const vmlinux = join(dir, "vmlinux");
    writeFileSync(vmlinux, readVmlinuxBtf());
    const sum = await s.conn.sendRequest(P.OpenFile.type, { path: vmlinux });
    expect(sum).toMatchObject({ format: "raw-btf", hasBtf: true, name: "vmlinux" });
    const objects = await s.conn.sendRequest(P.Objects.type, {});
    expect(objects.objects.map((o) => o.uri)).toContain(sum.uri);
    const page = await s.conn.sendRequest(P.Types.type, { uri: sum.uri, query: "task_struct", kinds: ["struct"], limit: 5 });
    const t = page.types.find((x) => x.name === "task_struct");
    expect(t).toBeDefined();
    const def = await s.conn.sendRequest(P.TypeDefinition.type, { uri: sum.uri, id: t!.id });
    expect(def.text.startsWith("struct task_struct {\n")).toBe(true);
    expect(golden("7.7", "vmlinux.btf.h")).toContain(def.text);
    const all = await s.conn.sendRequest(P.Types.type, { uri: sum.uri });
    expect(all.total).toBe(all.types.length);
    const names = all.types.map((x) => x.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it("picks up an object built after the source was opened", async () => {
    const srcPath = join(dir, "late.bpf.c");
    copyFileSync(join(CORPUS, "src", "tcpconn.bpf.c"), srcPath);
    const { uri } = open(s, srcPath);
    const before = await s.waitDiagnostics(uri, (d) => d.length > 0);
    expect(before.map((d) => d.code)).toEqual(["no-object"]);
    expect(before[0]?.message).toContain(join(dir, "late.bpf.o"));
    const objPath = join(dir, "late.bpf.o");
    copyFileSync(objectPath("tcpconn"), objPath);
    await s.conn.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: pathToFileURL(objPath).href, type: 1 }] });
    await s.waitDiagnostics(uri, (d) => !d.some((x) => x.code === "no-object"));
    const r = await s.conn.sendRequest(P.ObjectForSource.type, { uri });
    expect(r).toMatchObject({ object: pathToFileURL(objPath).href, origin: "beside" });
  });

  it("re-parses a rebuilt object and notifies the client", async () => {
    const { uri } = open(s, join(dir, "icmp_filter.bpf.c"));
    const before = await s.conn.sendRequest(P.ObjectTree.type, { uri: pathToFileURL(join(dir, "icmp_filter.bpf.o")).href });
    expect(before.programs.length).toBeGreaterThan(0);
    // "Rebuild": the object now holds another program set.
    const objPath = join(dir, "icmp_filter.bpf.o");
    copyFileSync(objectPath("tcpconn"), objPath);
    const objUri = pathToFileURL(objPath).href;
    await s.conn.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: objUri, type: 2 }] });
    for (let i = 0; i < 50 && !s.changed.some((c) => c.uri === objUri); i++) await new Promise((r) => setTimeout(r, 100));
    expect(s.changed).toContainEqual({ uri: objUri, reason: "changed" });
    const after = await s.conn.sendRequest(P.ObjectTree.type, { uri: objUri });
    expect(after.programs).not.toEqual(before.programs);
    void uri;
  });
});

describe("language server: its own watch on object directories", () => {
  // No didChangeWatchedFiles from this client: what an editor that cannot register file watchers gets.
  let s: Session;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "btf-lens-watch-"));
    mkdirSync(join(dir, "build"));
    s = await startSession(dir);
  });
  afterAll(async () => {
    await stop(s);
    rmSync(dir, { recursive: true, force: true });
  });

  const waitChanged = async (uri: string, reason: string): Promise<void> => {
    for (let i = 0; i < 100 && !s.changed.some((c) => c.uri === uri && c.reason === reason); i++) await new Promise((r) => setTimeout(r, 50));
    expect(s.changed).toContainEqual({ uri, reason });
  };

  it("sees an object rebuilt by rename (as compilers write), then new and removed objects beside it", async () => {
    const obj = join(dir, "build", "prog.bpf.o");
    const uri = pathToFileURL(obj).href;
    copyFileSync(objectPath("icmp_filter"), obj);
    const before = await s.conn.sendRequest(P.ObjectTree.type, { uri });
    // The compiler writes a temporary file and renames it over the object.
    copyFileSync(objectPath("tcpconn"), `${obj}.tmp`);
    renameSync(`${obj}.tmp`, obj);
    await waitChanged(uri, "changed");
    const after = await s.conn.sendRequest(P.ObjectTree.type, { uri });
    expect(after.programs).not.toEqual(before.programs);

    const other = join(dir, "build", "other.bpf.o");
    copyFileSync(objectPath("icmp_filter"), other);
    await waitChanged(pathToFileURL(other).href, "created");
    rmSync(obj);
    await waitChanged(uri, "deleted");
    // Files that are not objects in the same directory are not reported.
    writeFileSync(join(dir, "build", "notes.txt"), "x");
    await new Promise((r) => setTimeout(r, 400));
    expect(s.changed.every((c) => c.uri.endsWith(".o"))).toBe(true);
  });
});

describe("btf-lens lsp --stdio", () => {
  it("starts the same server from the CLI", async () => {
    const s = await startSession(CORPUS, [CLI, "lsp", "--stdio"]);
    try {
      expect(s.init.serverInfo?.name).toBe("btf-lens");
      const { uri } = open(s, join(CORPUS, "src", "tcpconn.bpf.c"));
      const r = await s.conn.sendRequest(P.ObjectForSource.type, { uri });
      expect(r.object).toBe(pathToFileURL(objectPath("tcpconn")).href);
    } finally {
      await stop(s);
    }
  });

  it("refuses to run without a transport", async () => {
    const r = spawn(process.execPath, [CLI, "lsp"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    r.stderr?.on("data", (b) => (err += String(b)));
    const code = await new Promise<number | null>((res) => r.on("close", res));
    expect(code).toBe(255);
    expect(err).toMatch(/^Error: usage: btf-lens lsp --stdio\n$/);
  });
});
