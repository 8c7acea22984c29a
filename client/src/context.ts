// What every client feature gets: the language client, the server's feature flags, logs, server events, helpers.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import {
  EXPERIMENTAL_KEY,
  Features,
  ObjectChanged,
  ObjectsChanged,
  type ServerFeatures,
} from "../../server/src/protocol.js";

export interface FeatureContext {
  readonly ext: vscode.ExtensionContext;
  readonly client: LanguageClient;
  readonly features: ServerFeatures;
  readonly log: vscode.LogOutputChannel;
  readonly events: ServerEvents;
}

/** A feature module: turns its UI on (only for the features the server supports) and registers disposables. */
export type Feature = (ctx: FeatureContext) => void;

/** Fans the server's notifications out to every feature (the client allows one handler per method). */
export class ServerEvents implements vscode.Disposable {
  private readonly objectChanged = new vscode.EventEmitter<ObjectChanged.Params>();
  private readonly objectsChanged = new vscode.EventEmitter<void>();
  /** One object was re-parsed, created, deleted or opened. */
  readonly onObjectChanged = this.objectChanged.event;
  /** The set of objects or the source -> object mapping changed (also fired when btfLens settings change). */
  readonly onObjectsChanged = this.objectsChanged.event;
  private readonly subs: vscode.Disposable[] = [];

  constructor(client: LanguageClient, log: vscode.LogOutputChannel) {
    this.subs.push(
      client.onNotification(ObjectChanged.type, (p) => {
        log.debug(`object ${p.reason}: ${p.uri}`);
        this.objectChanged.fire(p);
      }),
      client.onNotification(ObjectsChanged.type, () => {
        log.debug("objects changed");
        this.objectsChanged.fire();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("btfLens")) this.objectsChanged.fire();
      }),
    );
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.objectChanged.dispose();
    this.objectsChanged.dispose();
  }
}

export const NO_FEATURES: ServerFeatures = {
  protocolVersion: 0,
  objects: false,
  objectTree: false,
  skeleton: false,
  layout: false,
  objectForSource: false,
  openFile: false,
  types: false,
  typeDefinition: false,
  hover: false,
  diagnostics: false,
};

/** Reads the feature flags from the initialize result, or asks the server, or assumes none. */
export async function readFeatures(client: LanguageClient, log: vscode.LogOutputChannel): Promise<ServerFeatures> {
  const experimental = client.initializeResult?.capabilities.experimental as Record<string, unknown> | undefined;
  const fromInit = experimental?.[EXPERIMENTAL_KEY];
  if (typeof fromInit === "object" && fromInit !== null) return { ...NO_FEATURES, ...(fromInit as Partial<ServerFeatures>) };
  try {
    return { ...NO_FEATURES, ...(await client.sendRequest(Features.type, {})) };
  } catch (e) {
    log.warn(`the server announces no BTF Lens features: ${String(e)}`);
    return NO_FEATURES;
  }
}

/** Sets `btfLens.feature.NAME` context keys so that menus show only what the server supports. */
export async function setFeatureContextKeys(features: ServerFeatures): Promise<void> {
  for (const [k, v] of Object.entries(features)) {
    if (typeof v === "boolean") await vscode.commands.executeCommand("setContext", `btfLens.feature.${k}`, v);
  }
}

/**
 * Opens the source location of a tree node or layout row. `keepColumn` (the layout panel's column) is left alone:
 * the source opens where it is already visible, else in another column, so the panel stays in view.
 */
export async function goToLocation(
  ctx: FeatureContext,
  loc: import("vscode-languageserver-protocol").Location,
  keepColumn?: vscode.ViewColumn,
): Promise<void> {
  const l = ctx.client.protocol2CodeConverter.asLocation(loc);
  let viewColumn: vscode.ViewColumn | undefined;
  if (keepColumn !== undefined) {
    const visible = vscode.window.visibleTextEditors.find(
      (e) => e.document.uri.toString() === l.uri.toString() && e.viewColumn !== keepColumn,
    );
    viewColumn =
      visible?.viewColumn ??
      vscode.window.visibleTextEditors.find((e) => e.viewColumn !== undefined && e.viewColumn !== keepColumn)?.viewColumn ??
      (keepColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One);
  }
  await vscode.window.showTextDocument(l.uri, {
    selection: l.range,
    preview: true,
    ...(viewColumn !== undefined ? { viewColumn, preserveFocus: false } : {}),
  });
}

/**
 * Runs a request that may parse a large object: a status-bar progress at once, a notification when it takes longer
 * than half a second (a vmlinux BTF of several megabytes).
 */
export async function withParseProgress<T>(what: string, run: (token: vscode.CancellationToken) => Promise<T>): Promise<T> {
  const cts = new vscode.CancellationTokenSource();
  const work = run(cts.token);
  let done = false;
  void work.then(
    () => (done = true),
    () => (done = true),
  );
  const timer = setTimeout(() => {
    if (done) return;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `BTF Lens: reading ${what}…`, cancellable: true },
      async (_p, token) => {
        token.onCancellationRequested(() => cts.cancel());
        await work.catch(() => undefined);
      },
    );
  }, 500);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `BTF Lens: ${what}` },
      () => work,
    );
  } finally {
    clearTimeout(timer);
    cts.dispose();
  }
}

/**
 * One spelling per file URI (the server writes them with Node's pathToFileURL, VS Code encodes drive letters and some
 * characters differently): use it for every map key and comparison.
 */
export function canonicalUri(uri: string): string {
  try {
    return vscode.Uri.parse(uri, true).toString();
  } catch {
    return uri;
  }
}

/** A MarkdownString for untrusted content: no command links, no HTML, no theme icons. */
export function untrustedMarkdown(value: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(value, false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}
