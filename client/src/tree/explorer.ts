// The BTF Lens explorer view: objects, their programs, maps, data sections and (paged, lazy) types; live refresh.

import * as vscode from "vscode";
import { type ObjectSummary, ObjectTree, Objects, type TypeEntry, type TypeKindName } from "../../../server/src/protocol.js";
import { canonicalUri, type FeatureContext, goToLocation, untrustedMarkdown, withParseProgress } from "../context.js";
import { isNodeModel, objectForActiveSource } from "../object-pick.js";
import type { TypeIndex } from "../type-index.js";
import {
  groupTypesByKind,
  messageNode,
  type NodeModel,
  objectChildren,
  objectNode,
  typeKindNodes,
  typeRangeChildren,
} from "./nodes.js";

export const VIEW_ID = "btfLens.objects";

class ExplorerProvider implements vscode.TreeDataProvider<NodeModel> {
  private readonly changed = new vscode.EventEmitter<NodeModel | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly parents = new Map<string, NodeModel | undefined>();
  private readonly objects = new Map<string, NodeModel>();
  private readonly grouped = new Map<string, Promise<Map<TypeKindName, TypeEntry[]>>>();

  constructor(
    private readonly ctx: FeatureContext,
    private readonly types: TypeIndex | undefined,
  ) {}

  refresh(): void {
    this.grouped.clear();
    this.changed.fire(undefined);
  }

  getTreeItem(n: NodeModel): vscode.TreeItem {
    const item = new vscode.TreeItem(
      n.label,
      !n.collapsible
        ? vscode.TreeItemCollapsibleState.None
        : n.expanded === true
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = n.id;
    if (n.description !== undefined) item.description = n.description;
    if (n.tooltip !== undefined) item.tooltip = untrustedMarkdown(n.tooltip);
    item.iconPath = new vscode.ThemeIcon(n.icon);
    item.contextValue = n.contextValue;
    if (n.location !== undefined) {
      item.command = { command: "btfLens.goToSource", title: "Go to Source", arguments: [n] };
    } else if (n.kind === "type" && this.ctx.features.typeDefinition) {
      item.command = { command: "btfLens.openTypeDefinition", title: "Open Type Definition", arguments: [n] };
    }
    return item;
  }

  getParent(n: NodeModel): NodeModel | undefined {
    return this.parents.get(n.id);
  }

  async getChildren(n?: NodeModel): Promise<NodeModel[]> {
    const children = await this.children(n);
    for (const c of children) this.parents.set(c.id, n);
    return children;
  }

  private async children(n?: NodeModel): Promise<NodeModel[]> {
    if (n === undefined) {
      if (!this.ctx.features.objects) return [];
      let objects: ObjectSummary[];
      try {
        ({ objects } = await this.ctx.client.sendRequest(Objects.type, {}));
      } catch (e) {
        this.ctx.log.error(`explorer: objects: ${String(e)}`);
        return [messageNode("", "#objects-error", `Error: ${e instanceof Error ? e.message : String(e)}`, "error")];
      }
      const nodes = objects.map(objectNode).sort((a, b) => a.label.localeCompare(b.label));
      this.objects.clear();
      for (const o of nodes) this.objects.set(canonicalUri(o.objectUri), o);
      return nodes;
    }
    if (n.children !== undefined) return n.children;
    try {
      switch (n.kind) {
        case "object": {
          if (!this.ctx.features.objectTree) return [];
          const tree = await withParseProgress(n.label, (token) =>
            this.ctx.client.sendRequest(ObjectTree.type, { uri: n.objectUri }, token),
          );
          return objectChildren(tree, this.ctx.features.types && this.types !== undefined);
        }
        case "types":
          return typeKindNodes(n.objectUri, await this.groupedTypes(n.objectUri));
        case "typeKind":
        case "typePage": {
          if (n.typeKind === undefined || n.range === undefined) return [];
          const entries = (await this.groupedTypes(n.objectUri)).get(n.typeKind) ?? [];
          return typeRangeChildren(n.objectUri, n.typeKind, entries, n.range);
        }
        default:
          return [];
      }
    } catch (e) {
      this.ctx.log.error(`explorer: ${n.id}: ${String(e)}`);
      return [messageNode(n.objectUri, `${n.id}#error`, `Error: ${e instanceof Error ? e.message : String(e)}`, "error")];
    }
  }

  private groupedTypes(uri: string): Promise<Map<TypeKindName, TypeEntry[]>> {
    let g = this.grouped.get(uri);
    if (g === undefined && this.types !== undefined) {
      g = this.types.types(uri).then(groupTypesByKind);
      g.catch(() => this.grouped.delete(uri));
      this.grouped.set(uri, g);
    }
    return g ?? Promise.resolve(new Map());
  }

  /** The object node for a URI (after the root was listed at least once). */
  async objectNode(uri: string): Promise<NodeModel | undefined> {
    const key = canonicalUri(uri);
    if (!this.objects.has(key)) await this.getChildren(undefined);
    return this.objects.get(key);
  }
}

export function activate(ctx: FeatureContext, types: TypeIndex | undefined): void {
  if (!ctx.features.objects) return;
  const provider = new ExplorerProvider(ctx, types);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  ctx.ext.subscriptions.push(view);

  // Object files are rewritten in bursts (compiler, linker): refresh once they settle.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refreshSoon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => provider.refresh(), 50);
  };
  ctx.ext.subscriptions.push(
    ctx.events.onObjectChanged(refreshSoon),
    ctx.events.onObjectsChanged(refreshSoon),
    { dispose: () => clearTimeout(timer) },
    vscode.commands.registerCommand("btfLens.refresh", () => provider.refresh()),
    vscode.commands.registerCommand("btfLens.goToSource", async (n: unknown) => {
      if (isNodeModel(n) && n.location !== undefined) await goToLocation(ctx, n.location);
    }),
    vscode.commands.registerCommand("btfLens.copySkeletonAccessor", async (n: unknown) => {
      if (!isNodeModel(n) || n.accessor === undefined) return;
      await vscode.env.clipboard.writeText(n.accessor);
      vscode.window.setStatusBarMessage(`Copied ${n.accessor}`, 3000);
    }),
    vscode.commands.registerCommand("btfLens.revealObject", async (uri?: unknown) => {
      const target =
        typeof uri === "string"
          ? uri
          : uri instanceof vscode.Uri
            ? uri.toString()
            : await objectForActiveSource(ctx).catch(() => undefined);
      if (target === undefined) {
        await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
        return;
      }
      const node = await provider.objectNode(target);
      if (node !== undefined) await view.reveal(node, { select: true, focus: true, expand: true });
      else await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    }),
  );
}
