// Finds the object a command acts on: a tree node's, the active BPF source's, or one the user picks.

import * as vscode from "vscode";
import { ObjectForSource, Objects, type ObjectSummary } from "../../server/src/protocol.js";
import type { FeatureContext } from "./context.js";
import { label } from "./escape.js";
import type { NodeModel } from "./tree/nodes.js";

/** What commands receive: a tree node, an object URI (string or Uri), or nothing (palette, editor title). */
export type CommandTarget = NodeModel | vscode.Uri | string | undefined;

export function isNodeModel(x: unknown): x is NodeModel {
  return typeof x === "object" && x !== null && "objectUri" in x && "kind" in x;
}

/** The object URI for the active editor's source, if the server found one. */
export async function objectForActiveSource(ctx: FeatureContext): Promise<string | undefined> {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc === undefined || doc.languageId !== "c" || !ctx.features.objectForSource) return undefined;
  const r = await ctx.client.sendRequest(ObjectForSource.type, { uri: doc.uri.toString() });
  return r.object;
}

/**
 * The object URI a command should act on. Editor-title commands pass the source's URI: that is mapped to its object.
 * With no target, the active source's object is used, else the user picks from the known objects.
 */
export async function resolveObject(ctx: FeatureContext, target: CommandTarget, purpose: string): Promise<string | undefined> {
  if (isNodeModel(target)) return target.objectUri;
  if (target !== undefined) {
    const uri = typeof target === "string" ? vscode.Uri.parse(target) : target;
    if (/\.(c|h)$/i.test(uri.path) && ctx.features.objectForSource) {
      const r = await ctx.client.sendRequest(ObjectForSource.type, { uri: uri.toString() });
      if (r.object !== undefined) return r.object;
      void vscode.window.showWarningMessage(
        `BTF Lens: no object found for ${label(uri.path.split("/").pop() ?? "")} (looked in: ${r.searched.slice(0, 5).map((s) => label(s)).join(", ")}).`,
      );
      return undefined;
    }
    return uri.toString();
  }
  const fromEditor = await objectForActiveSource(ctx).catch(() => undefined);
  if (fromEditor !== undefined) return fromEditor;
  return pickObject(ctx, purpose);
}

export async function pickObject(ctx: FeatureContext, purpose: string, filter?: (o: ObjectSummary) => boolean): Promise<string | undefined> {
  if (!ctx.features.objects) return undefined;
  const { objects } = await ctx.client.sendRequest(Objects.type, {});
  const list = filter !== undefined ? objects.filter(filter) : objects;
  if (list.length === 0) {
    void vscode.window.showInformationMessage("BTF Lens: no BPF objects are open. Build one, or use BTF Lens: Open BTF File...");
    return undefined;
  }
  if (list.length === 1) return list[0]!.uri;
  const pick = await vscode.window.showQuickPick(
    list.map((o) => ({ label: label(o.name), description: label(o.path), uri: o.uri })),
    { title: `BTF Lens: ${purpose}`, placeHolder: "Which object?", matchOnDescription: true },
  );
  return pick?.uri;
}

/** Base name of a path or URI path. */
export function baseName(p: string): string {
  return p.split(/[/\\]/).pop() ?? p;
}
