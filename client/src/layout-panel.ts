// Layout webview host: one panel per object, fed with flat layout nodes; live refresh; jumps to sources on click.

import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import { Layout, type LayoutNode } from "../../server/src/protocol.js";
import { type HostToView, parseViewMessage } from "../../webview/src/protocol.js";
import { canonicalUri, type FeatureContext, goToLocation, withParseProgress } from "./context.js";
import { label } from "./escape.js";
import { type CommandTarget, isNodeModel, resolveObject } from "./object-pick.js";

const VIEW_TYPE = "btfLens.layout";

class LayoutPanel {
  private nodes: LayoutNode[] = [];
  private ready = false;
  private pendingFocus: { section: string; name?: string } | undefined;
  private generation = 0;

  constructor(
    private readonly ctx: FeatureContext,
    readonly objectUri: string,
    readonly panel: vscode.WebviewPanel,
  ) {
    const webview = panel.webview;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(ctx.ext.extensionUri, "dist"), vscode.Uri.joinPath(ctx.ext.extensionUri, "media")],
    };
    webview.html = this.html(webview);
    panel.onDidDispose(() => (this.ready = false));
    webview.onDidReceiveMessage(async (raw: unknown) => {
      const m = parseViewMessage(raw);
      if (m === undefined) return;
      switch (m.type) {
        case "ready":
          this.ready = true;
          await this.update();
          return;
        case "open": {
          const n = this.nodes.find((x) => x.id === m.nodeId);
          if (n?.location !== undefined) await goToLocation(ctx, n.location, panel.viewColumn);
          return;
        }
        default:
          m satisfies never;
      }
    });
  }

  private get objectName(): string {
    return label(vscode.Uri.parse(this.objectUri).path.split("/").pop() ?? this.objectUri);
  }

  private post(m: HostToView): void {
    if (this.ready) void this.panel.webview.postMessage(m);
  }

  focus(section: string | undefined, name: string | undefined): void {
    if (section === undefined) return;
    this.pendingFocus = name !== undefined ? { section, name } : { section };
    if (this.nodes.length > 0) this.flushFocus();
  }

  private flushFocus(): void {
    if (this.pendingFocus === undefined || !this.ready) return;
    this.post({ type: "focus", ...this.pendingFocus });
    this.pendingFocus = undefined;
  }

  /** Fetches the layout again and sends it; the view keeps its scroll and selection. */
  async update(): Promise<void> {
    if (!this.ready) return;
    const gen = ++this.generation;
    this.post({ type: "loading", objectName: this.objectName });
    try {
      const r = await withParseProgress(`layout of ${this.objectName}`, (token) =>
        this.ctx.client.sendRequest(Layout.type, { uri: this.objectUri }, token),
      );
      if (gen !== this.generation) return;
      this.nodes = r.nodes;
      this.post({
        type: "layout",
        objectUri: this.objectUri,
        objectName: this.objectName,
        nodes: r.nodes,
        cacheLineSize: r.cacheLineSize,
        ...(r.error !== undefined ? { error: r.error } : {}),
      });
      this.flushFocus();
    } catch (e) {
      if (gen !== this.generation) return;
      this.nodes = [];
      this.post({ type: "layout", objectUri: this.objectUri, objectName: this.objectName, nodes: [], cacheLineSize: 64, error: String(e) });
    }
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString("base64");
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.ext.extensionUri, "dist", "webview.js"));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.ext.extensionUri, "media", "layout.css"));
    const csp = [
      "default-src 'none'",
      // The nonce lets the component library's feature probe (an empty <style>, see csp-nonce below) through.
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join("; ");
    // Nothing from the object goes into this HTML: the script renders names with DOM APIs.
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${nonce}">
<link rel="stylesheet" href="${style.toString()}">
<title>BTF Lens layout</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}

export function activate(ctx: FeatureContext): void {
  if (!ctx.features.layout) return;
  const panels = new Map<string, LayoutPanel>();

  const adopt = (objectUri: string, panel: vscode.WebviewPanel): LayoutPanel => {
    panel.iconPath = vscode.Uri.joinPath(ctx.ext.extensionUri, "media", "btf-lens.svg");
    const created = new LayoutPanel(ctx, objectUri, panel);
    panels.set(canonicalUri(objectUri), created);
    panel.onDidDispose(() => panels.delete(canonicalUri(objectUri)));
    return created;
  };

  const show = async (target: CommandTarget): Promise<void> => {
    const objectUri = await resolveObject(ctx, target, "Show Layout");
    if (objectUri === undefined) return;
    let p = panels.get(canonicalUri(objectUri));
    if (p === undefined) {
      const name = label(vscode.Uri.parse(objectUri).path.split("/").pop() ?? "object", 60);
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, `Layout: ${name}`, vscode.ViewColumn.Beside, {
        enableScripts: true,
        enableFindWidget: true,
      });
      p = adopt(objectUri, panel);
    } else {
      p.panel.reveal(undefined, false);
    }
    if (isNodeModel(target) && target.section !== undefined) {
      p.focus(target.section, target.kind === "variable" ? target.name : undefined);
    }
  };

  ctx.ext.subscriptions.push(
    vscode.commands.registerCommand("btfLens.showLayout", (target: CommandTarget) => show(target)),
    // After a window reload: the view's saved state names its object (and keeps its scroll and selection).
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const uri = (state as { objectUri?: unknown } | undefined)?.objectUri;
        if (typeof uri === "string" && uri.startsWith("file:")) adopt(uri, panel);
        else panel.dispose();
      },
    }),
    ctx.events.onObjectChanged((e) => {
      const p = panels.get(canonicalUri(e.uri));
      if (p !== undefined) void p.update();
    }),
    ctx.events.onObjectsChanged(() => {
      for (const p of panels.values()) void p.update();
    }),
    {
      dispose: () => {
        for (const p of [...panels.values()]) p.panel.dispose();
      },
    },
  );
}
