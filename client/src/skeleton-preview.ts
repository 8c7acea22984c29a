// Skeleton preview: a read-only document (NAME.skel.h, its own file system) that follows the object as it is rebuilt.

import * as vscode from "vscode";
import { Objects, Skeleton } from "../../server/src/protocol.js";
import { canonicalUri, type FeatureContext, withParseProgress } from "./context.js";
import { type CommandTarget, resolveObject } from "./object-pick.js";
import { cComment, parseSkeletonDoc, SKELETON_SCHEME, type SkeletonDoc, skeletonDocPath } from "./skeleton-uri.js";

/** The file URI of a preview's object, spelled by vscode.Uri (as canonicalUri spells the server's). */
function objectUriOf(doc: SkeletonDoc): string {
  return vscode.Uri.from({ scheme: "file", path: doc.objectPath }).toString();
}

interface Rendered {
  readonly bytes: Uint8Array;
  readonly mtime: number;
}

/**
 * The preview documents as a read-only file system rather than a TextDocumentContentProvider: when a
 * provider's document changes, VS Code diffs old and new text character by character in its editor
 * worker and gives up after 1 s; a rebuilt object changes its embedded bytes all over the skeleton, so
 * every refresh took over a second. A changed file is reloaded with a cheap line-based update instead.
 */
class SkeletonFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** Rendered text per document URI, until its object changes; mtime changes with every render. */
  private readonly rendered = new Map<string, { objectUri: string; result: Promise<Rendered> }>();
  private lastMtime = 0;

  constructor(private readonly ctx: FeatureContext) {}

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const r = await this.render(uri);
    return { type: vscode.FileType.File, ctime: r.mtime, mtime: r.mtime, size: r.bytes.length };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return (await this.render(uri)).bytes;
  }

  /** The preview's text, rendered once per change of its object. Only NAME.skel.h and NAME.subskel.h exist here. */
  private render(uri: vscode.Uri): Promise<Rendered> {
    const key = uri.toString();
    const cached = this.rendered.get(key);
    if (cached !== undefined) return cached.result;
    const doc = parseSkeletonDoc(uri.path, uri.query);
    if (doc === undefined) return Promise.reject(vscode.FileSystemError.FileNotFound(uri));
    const objectUri = objectUriOf(doc);
    const result = this.skeletonText(doc, objectUri).then((text) => {
      this.lastMtime = Math.max(Date.now(), this.lastMtime + 1);
      return { bytes: new TextEncoder().encode(text), mtime: this.lastMtime };
    });
    this.rendered.set(key, { objectUri, result });
    return result;
  }

  private async skeletonText(doc: SkeletonDoc, objectUri: string): Promise<string> {
    const started = Date.now();
    try {
      const r = await withParseProgress(`skeleton of ${doc.objectPath.split("/").pop() ?? ""}`, () =>
        this.ctx.client.sendRequest(Skeleton.type, { uri: objectUri, kind: doc.kind, ...(doc.name !== undefined ? { name: doc.name } : {}) }),
      );
      for (const w of r.warnings) this.ctx.log.warn(`${doc.objectPath}: ${w}`);
      this.ctx.log.info(`${doc.kind} of ${doc.objectPath}: ${r.text.length} chars in ${Date.now() - started} ms`);
      if (r.error !== undefined) return cComment(`BTF Lens: bpftool would fail on this object: ${r.error}`);
      return r.text;
    } catch (e) {
      return cComment(`BTF Lens: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Re-renders every open preview of `objectUri` (all when undefined). */
  refresh(objectUri?: string): void {
    const target = objectUri === undefined ? undefined : canonicalUri(objectUri);
    const matches = (o: string): boolean => target === undefined || o === target;
    for (const [key, entry] of this.rendered) if (matches(entry.objectUri)) this.rendered.delete(key);
    const events = vscode.workspace.textDocuments
      .filter((d) => {
        const doc = d.uri.scheme === SKELETON_SCHEME ? parseSkeletonDoc(d.uri.path, d.uri.query) : undefined;
        return doc !== undefined && matches(objectUriOf(doc));
      })
      .map((d) => ({ type: vscode.FileChangeType.Changed, uri: d.uri }));
    if (events.length > 0) this.changed.fire(events);
  }

  /** Drops a closed preview's text (it is rendered afresh when opened again). */
  forget(uri: vscode.Uri): void {
    this.rendered.delete(uri.toString());
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => {});
  }

  readDirectory(): [string, vscode.FileType][] {
    throw vscode.FileSystemError.FileNotADirectory();
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions("BTF Lens previews are read-only");
  }

  writeFile(): void {
    throw vscode.FileSystemError.NoPermissions("BTF Lens previews are read-only: use BTF Lens: Generate Skeleton");
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions("BTF Lens previews are read-only");
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions("BTF Lens previews are read-only");
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
  const provider = new SkeletonFileSystem(ctx);
  ctx.ext.subscriptions.push(
    vscode.workspace.registerFileSystemProvider(SKELETON_SCHEME, provider, { isCaseSensitive: true, isReadonly: true }),
    ctx.events.onObjectChanged((e) => provider.refresh(e.uri)),
    ctx.events.onObjectsChanged(() => provider.refresh()),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === SKELETON_SCHEME) provider.forget(d.uri);
    }),
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
