// Skeleton preview: a read-only virtual document (NAME.skel.h) that follows the object as it is rebuilt.

import * as vscode from "vscode";
import { Objects, Skeleton } from "../../server/src/protocol.js";
import { canonicalUri, type FeatureContext, withParseProgress } from "./context.js";
import { type CommandTarget, resolveObject } from "./object-pick.js";
import { cComment, parseSkeletonDoc, SKELETON_SCHEME, skeletonDocPath } from "./skeleton-uri.js";

class SkeletonProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: FeatureContext) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const doc = parseSkeletonDoc(uri.path, uri.query);
    if (doc === undefined) return cComment(`BTF Lens: not a skeleton document: ${uri.toString()}`);
    const objectUri = vscode.Uri.from({ scheme: "file", path: doc.objectPath }).toString();
    const started = Date.now();
    try {
      const r = await withParseProgress(`skeleton of ${doc.objectPath.split("/").pop() ?? ""}`, () =>
        this.ctx.client.sendRequest(
          Skeleton.type,
          { uri: objectUri, kind: doc.kind, ...(doc.name !== undefined ? { name: doc.name } : {}) },
          token,
        ),
      );
      for (const w of r.warnings) this.ctx.log.warn(`${doc.objectPath}: ${w}`);
      this.ctx.log.info(`${doc.kind} of ${doc.objectPath}: ${r.text.length} chars in ${Date.now() - started} ms`);
      if (r.error !== undefined) return cComment(`BTF Lens: bpftool would fail on this object: ${r.error}`);
      return r.text;
    } catch (e) {
      return cComment(`BTF Lens: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Refreshes every open preview of `objectUri` (all when undefined). */
  refresh(objectUri?: string): void {
    for (const d of vscode.workspace.textDocuments) {
      if (d.uri.scheme !== SKELETON_SCHEME) continue;
      const doc = parseSkeletonDoc(d.uri.path, d.uri.query);
      if (doc === undefined) continue;
      if (objectUri === undefined || vscode.Uri.from({ scheme: "file", path: doc.objectPath }).toString() === canonicalUri(objectUri)) {
        this.changed.fire(d.uri);
      }
    }
  }
}

/** The preview URI for an object: asks the server for the file name bpftool users expect (NAME.skel.h). */
export async function skeletonDocUri(ctx: FeatureContext, objectUri: string): Promise<vscode.Uri> {
  const { objects } = await ctx.client.sendRequest(Objects.type, {});
  const o = objects.find((x) => canonicalUri(x.uri) === canonicalUri(objectUri));
  const name = o?.name ?? vscode.Uri.parse(objectUri).path.split("/").pop()?.replace(/\..*$/, "") ?? "object";
  return vscode.Uri.from({ scheme: SKELETON_SCHEME, path: skeletonDocPath(vscode.Uri.parse(objectUri).path, `${name}.skel.h`) });
}

export function activate(ctx: FeatureContext): void {
  if (!ctx.features.skeleton) return;
  const provider = new SkeletonProvider(ctx);
  ctx.ext.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(SKELETON_SCHEME, provider),
    ctx.events.onObjectChanged((e) => provider.refresh(e.uri)),
    ctx.events.onObjectsChanged(() => provider.refresh()),
    vscode.commands.registerCommand("btfLens.openSkeletonPreview", async (target: CommandTarget) => {
      const objectUri = await resolveObject(ctx, target, "Open Skeleton Preview");
      if (objectUri === undefined) return;
      const uri = await skeletonDocUri(ctx, objectUri);
      const doc = await vscode.workspace.openTextDocument(uri);
      if (doc.languageId !== "c") await vscode.languages.setTextDocumentLanguage(doc, "c");
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    }),
  );
}
