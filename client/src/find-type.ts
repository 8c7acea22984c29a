// "BTF Lens: Find Type...": a quick pick over the named types of all open objects, opening the type's C definition
// (as `btf dump format c` prints it) in a read-only virtual document.

import * as vscode from "vscode";
import { Objects, TypeDefinition, type TypeEntry } from "../../server/src/protocol.js";
import { canonicalUri, type FeatureContext } from "./context.js";
import { label } from "./escape.js";
import { baseName, isNodeModel } from "./object-pick.js";
import { cComment, parseTypeDoc, TYPE_SCHEME, typeDocPath } from "./skeleton-uri.js";
import type { TypeIndex } from "./type-index.js";
import { rankTypes } from "./type-rank.js";

/** Items shown at once: ranking runs over all types on every keystroke, but the list stays short. */
const SHOWN = 200;

class TypeDocProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  constructor(private readonly ctx: FeatureContext) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const d = parseTypeDoc(uri.path, uri.query);
    if (d === undefined) return cComment("BTF Lens: not a type document");
    const objectUri = vscode.Uri.from({ scheme: "file", path: d.objectPath }).toString();
    try {
      const r = await this.ctx.client.sendRequest(TypeDefinition.type, { uri: objectUri, id: d.id }, token);
      return r.error !== undefined ? cComment(`BTF Lens: ${r.error}`) : r.text;
    } catch (e) {
      return cComment(`BTF Lens: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  refresh(objectUri?: string): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== TYPE_SCHEME) continue;
      const d = parseTypeDoc(doc.uri.path, doc.uri.query);
      if (d !== undefined && (objectUri === undefined || vscode.Uri.from({ scheme: "file", path: d.objectPath }).toString() === canonicalUri(objectUri))) {
        this.changed.fire(doc.uri);
      }
    }
  }
}

export function typeDocUri(objectUri: string, t: Pick<TypeEntry, "id" | "kind" | "name">): vscode.Uri {
  return vscode.Uri.from({
    scheme: TYPE_SCHEME,
    path: typeDocPath(vscode.Uri.parse(objectUri).path, t.kind, t.name),
    query: `id=${t.id}`,
  });
}

async function openTypeDoc(uri: vscode.Uri): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId !== "c") await vscode.languages.setTextDocumentLanguage(doc, "c");
  await vscode.window.showTextDocument(doc, { preview: true });
}

interface TypeItem extends vscode.QuickPickItem {
  objectUri: string;
  entry: TypeEntry;
}

async function findType(ctx: FeatureContext, index: TypeIndex): Promise<void> {
  const { objects } = await ctx.client.sendRequest(Objects.type, {});
  const usable = objects.filter((o) => o.error === undefined && o.hasBtf);
  if (usable.length === 0) {
    void vscode.window.showInformationMessage("BTF Lens: no objects with BTF are open. Use BTF Lens: Open BTF File...");
    return;
  }
  const qp = vscode.window.createQuickPick<TypeItem>();
  qp.title = "BTF Lens: Find Type";
  qp.placeholder = "Type name (struct, union, enum, typedef, function...)";
  qp.matchOnDescription = false;
  qp.busy = true;
  qp.show();
  const lists = await Promise.all(
    usable.map(async (o) => ({ o, types: await index.types(o.uri).catch(() => [] as TypeEntry[]) })),
  );
  const many = usable.length > 1;
  const update = (): void => {
    const items: TypeItem[] = [];
    for (const { o, types } of lists) {
      for (const t of rankTypes(types, qp.value, SHOWN)) {
        items.push({
          label: label(t.name),
          description: `${t.kind}${many ? ` · ${label(baseName(o.path))}` : ""}`,
          alwaysShow: true,
          objectUri: o.uri,
          entry: t,
        });
      }
    }
    qp.items = items.slice(0, SHOWN);
  };
  qp.onDidChangeValue(update);
  update();
  qp.busy = false;
  const picked = await new Promise<TypeItem | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0]));
    qp.onDidHide(() => resolve(undefined));
  });
  qp.dispose();
  if (picked !== undefined) await openTypeDoc(typeDocUri(picked.objectUri, picked.entry));
}

export function activate(ctx: FeatureContext, index: TypeIndex | undefined): void {
  if (!ctx.features.typeDefinition) return;
  const provider = new TypeDocProvider(ctx);
  ctx.ext.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(TYPE_SCHEME, provider),
    ctx.events.onObjectChanged((e) => provider.refresh(e.uri)),
    vscode.commands.registerCommand("btfLens.openTypeDefinition", async (n: unknown) => {
      if (isNodeModel(n) && n.typeId !== undefined && n.typeKind !== undefined) {
        await openTypeDoc(typeDocUri(n.objectUri, { id: n.typeId, kind: n.typeKind, name: n.name ?? n.label }));
      }
    }),
  );
  if (ctx.features.types && index !== undefined) {
    ctx.ext.subscriptions.push(vscode.commands.registerCommand("btfLens.findType", () => findType(ctx, index)));
  }
}
