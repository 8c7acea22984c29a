// BTF Lens language server: wires the Workspace to an LSP connection (IPC from the VS Code client, or --stdio).
// A library: the entry point is server.ts; the CLI's `lsp` command calls startServer too.

import {
  type Connection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  type InitializeResult,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import * as P from "../protocol.js";
import { keyedDebounce } from "./debounce.js";
import { sourceDiagnostics } from "./diagnostics.js";
import { isObjectFileName } from "./discovery.js";
import { type FileAccessor, nodeFileAccessor } from "./files.js";
import { ObjectDirWatcher } from "./object-watch.js";
import { pathToUri, uriToPath } from "./uri.js";
import { Workspace } from "./workspace.js";

export const FEATURES: P.ServerFeatures = {
  protocolVersion: P.PROTOCOL_VERSION,
  objects: true,
  objectTree: true,
  skeleton: true,
  layout: true,
  objectForSource: true,
  openFile: true,
  types: true,
  typeDefinition: true,
  hover: true,
  diagnostics: true,
};

export interface ServerOptions {
  fs?: FileAccessor;
  /** Debounce for file-system events and diagnostics, in ms. */
  debounceMs?: number;
}

/** Starts serving on `connection`; returns the workspace (for tests). */
export function startServer(connection: Connection, options: ServerOptions = {}): Workspace {
  // Objects are re-checked on disk at most every 500 ms; file-system events invalidate them at once. Those
  // come from the editor and from our own watch on the directories of the objects we parsed.
  const fs = options.fs ?? nodeFileAccessor;
  const watcher = new ObjectDirWatcher(fs, (path) => queueObjectEvent(path, undefined));
  const ws = new Workspace(fs, [], { statTtlMs: 500, onLoaded: (path) => watcher.watchObjectDir(path) });
  connection.onExit(() => watcher.dispose());
  const documents = new TextDocuments(TextDocument);
  const debounceMs = options.debounceMs ?? 150;
  let canPullConfig = false;
  let canWatch = false;
  const log = (s: string): void => connection.console.log(s);
  // A malformed object must never take the server down: log what escaped instead of exiting.
  process.on("unhandledRejection", (e) => log(`unhandled rejection: ${(e as Error)?.stack ?? String(e)}`));
  process.on("uncaughtException", (e) => log(`uncaught exception: ${e.stack ?? String(e)}`));

  const pathOf = (uri: string): string => {
    const p = uriToPath(uri);
    if (p === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `not a file URI: ${uri}`);
    return p;
  };
  const need = <T>(v: T | undefined, uri: string): T => {
    if (v === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `no such object: ${uri}`);
    return v;
  };
  // BTF_LENS_TIMING=1: one "timing NAME MS" line on stderr per request (the benchmark reads them).
  const timing = process.env["BTF_LENS_TIMING"] === "1";
  const guard = <A extends unknown[], R>(name: string, f: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    const t0 = timing ? performance.now() : 0;
    try {
      return await f(...a);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      log(`${name} failed: ${(e as Error).stack ?? String(e)}`);
      throw new ResponseError(ErrorCodes.InternalError, `${name}: ${(e as Error).message}`);
    } finally {
      if (timing) process.stderr.write(`timing ${name} ${(performance.now() - t0).toFixed(3)}\n`);
    }
  };

  connection.onInitialize((params): InitializeResult => {
    const roots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
    if (roots.length === 0 && params.rootUri) {
      const r = uriToPath(params.rootUri);
      if (r) roots.push(r);
    }
    ws.setRoots(roots);
    ws.updateSettings((params.initializationOptions as { settings?: Partial<P.BtfLensSettings> } | undefined)?.settings);
    canPullConfig = !!params.capabilities.workspace?.configuration;
    canWatch = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        experimental: { [P.EXPERIMENTAL_KEY]: FEATURES },
      },
      serverInfo: { name: "btf-lens", version: "0.1.0" },
    };
  });

  const pullSettings = async (): Promise<void> => {
    if (!canPullConfig) return;
    try {
      const s = (await connection.workspace.getConfiguration("btfLens")) as Partial<P.BtfLensSettings> | null;
      ws.updateSettings(s ?? undefined);
    } catch (e) {
      log(`reading settings failed: ${(e as Error).message}`);
    }
  };

  connection.onInitialized(async () => {
    if (canPullConfig) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: "btfLens" });
      await pullSettings();
    }
    if (canWatch) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: "**/*.o" }, { globPattern: "**/*.btf" }],
      });
    }
    try {
      connection.workspace.onDidChangeWorkspaceFolders(async (ev) => {
        const roots = new Set(ws.index.roots);
        for (const f of ev.removed) roots.delete(uriToPath(f.uri) ?? "");
        for (const f of ev.added) {
          const p = uriToPath(f.uri);
          if (p) roots.add(p);
        }
        ws.setRoots([...roots]);
        void connection.sendNotification(P.ObjectsChanged.type, {});
      });
    } catch {
      // The client does not support workspace folder notifications.
    }
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (canPullConfig) await pullSettings();
    else ws.updateSettings((change.settings as { btfLens?: Partial<P.BtfLensSettings> } | undefined)?.btfLens);
    void connection.sendNotification(P.ObjectsChanged.type, {});
    for (const d of documents.all()) scheduleDiagnostics(d.uri);
  });

  // Diagnostics, debounced per document.
  const publish = async (uri: string): Promise<void> => {
    const doc = documents.get(uri);
    const path = uriToPath(uri);
    if (!doc || !path) return;
    const text = doc.getText();
    const st = await ws.sourceState(path, text);
    if (!st.isBpf) {
      void connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    const obj = st.discovery.object;
    const loaded = obj ? await ws.load(obj) : undefined;
    const srcStat = await ws.fs.stat(path);
    const diagnostics = sourceDiagnostics({
      text,
      object: loaded ? obj : undefined,
      searched: st.discovery.searched,
      info: loaded?.info,
      sourceMtimeMs: srcStat?.mtimeMs,
      objectMtimeMs: loaded?.mtimeMs,
    });
    void connection.sendDiagnostics({ uri, diagnostics });
  };
  const debounceDiagnostics = keyedDebounce(debounceMs);
  const scheduleDiagnostics = (uri: string): void =>
    debounceDiagnostics(uri, () => {
      publish(uri).catch((e) => log(`diagnostics failed for ${uri}: ${(e as Error).message}`));
    });
  // On open, find and parse the object at once (not debounced), so that the first hover finds it ready.
  const prepare = async (uri: string, text: string): Promise<void> => {
    const path = uriToPath(uri);
    if (!path) return;
    const st = await ws.sourceState(path, text);
    if (!st.discovery.object) return;
    const loaded = await ws.load(st.discovery.object);
    if (loaded) ws.ctypesFor(loaded.info)?.warm();
  };
  documents.onDidOpen((e) => {
    prepare(e.document.uri, e.document.getText()).catch((err) => log(`preparing ${e.document.uri} failed: ${(err as Error).message}`));
    scheduleDiagnostics(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    const p = uriToPath(e.document.uri);
    if (p) ws.sourceEdited(p, e.document.getText());
    scheduleDiagnostics(e.document.uri);
  });
  documents.onDidSave((e) => scheduleDiagnostics(e.document.uri));
  documents.onDidClose((e) => void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));

  connection.onHover(
    guard("hover", async (params) => {
      const doc = documents.get(params.textDocument.uri);
      const path = uriToPath(params.textDocument.uri);
      if (!doc || !path) return null;
      const text = doc.getText();
      const h = await ws.hover(path, text, doc.offsetAt(params.position));
      if (!h) return null;
      return {
        contents: { kind: "markdown", value: h.markdown },
        range: { start: doc.positionAt(h.word.start), end: doc.positionAt(h.word.end) },
      };
    }),
  );

  // Live updates: objects rebuilt, created or deleted.
  const objectEvent = async (path: string, reported: FileChangeType | undefined): Promise<void> => {
    // Our own watch only says that something happened to the entry: see what.
    const type = reported ?? (await whatHappened(path));
    if (type === undefined) return;
    if (type !== FileChangeType.Changed) {
      ws.index.invalidateScan();
      ws.resetSources();
    }
    ws.cache.invalidate(path);
    if (type !== FileChangeType.Deleted) await ws.load(path); // re-parse now, with retries for half-written files
    const reason = type === FileChangeType.Created ? "created" : type === FileChangeType.Deleted ? "deleted" : "changed";
    void connection.sendNotification(P.ObjectChanged.type, { uri: pathToUri(path), reason });
    if (type !== FileChangeType.Changed) void connection.sendNotification(P.ObjectsChanged.type, {});
    for (const d of documents.all()) scheduleDiagnostics(d.uri);
  };
  const whatHappened = async (path: string): Promise<FileChangeType | undefined> => {
    const known = ws.cache.peek(path, ws.profile) !== undefined;
    const exists = (await ws.fs.stat(path))?.isFile === true;
    if (exists) return known ? FileChangeType.Changed : FileChangeType.Created;
    return known ? FileChangeType.Deleted : undefined;
  };
  /** Debounced per path: a compiler's several writes, or the editor's event after ours, make one reload. */
  const debounceObjects = keyedDebounce(debounceMs);
  const queueObjectEvent = (path: string, type: FileChangeType | undefined): void =>
    debounceObjects(path, () => {
      objectEvent(path, type).catch((e) => log(`reloading ${path} failed: ${(e as Error).message}`));
    });
  connection.onDidChangeWatchedFiles((params) => {
    for (const ch of params.changes) {
      const path = uriToPath(ch.uri);
      if (path && isObjectFileName(path)) queueObjectEvent(path, ch.type);
    }
  });

  // Custom requests.
  connection.onRequest(P.Features.type, () => FEATURES);
  connection.onRequest(P.Objects.type, guard("objects", () => ws.objects()));
  connection.onRequest(
    P.ObjectTree.type,
    guard("objectTree", async (p: P.ObjectTree.Params) => need(await ws.tree(pathOf(p.uri), p.profile), p.uri)),
  );
  connection.onRequest(
    P.Skeleton.type,
    guard("skeleton", async (p: P.Skeleton.Params) => need(await ws.skeleton(pathOf(p.uri), p), p.uri)),
  );
  connection.onRequest(
    P.Layout.type,
    guard("layout", async (p: P.Layout.Params) => need(await ws.layout(pathOf(p.uri), p.profile, p.section), p.uri)),
  );
  connection.onRequest(
    P.ObjectForSource.type,
    guard("objectForSource", async (p: P.ObjectForSource.Params) => {
      const path = uriToPath(p.uri);
      if (!path) return { isBpfSource: false, searched: [] };
      const doc = documents.get(p.uri);
      return ws.objectForSource(path, doc ? doc.getText() : await ws.readText(path));
    }),
  );
  connection.onRequest(
    P.OpenFile.type,
    guard("openFile", async (p: P.OpenFile.Params) => {
      const s = need(await ws.openFile(p.path), p.path);
      void connection.sendNotification(P.ObjectChanged.type, { uri: s.uri, reason: "opened" });
      return s;
    }),
  );
  connection.onRequest(
    P.Types.type,
    guard("types", async (p: P.Types.Params) => need(await ws.types(pathOf(p.uri), p.kinds, p.query, p.limit), p.uri)),
  );
  connection.onRequest(
    P.TypeDefinition.type,
    guard("typeDefinition", async (p: P.TypeDefinition.Params) => need(await ws.typeDefinition(pathOf(p.uri), p.id, p.profile), p.uri)),
  );

  documents.listen(connection);
  connection.listen();
  return ws;
}
