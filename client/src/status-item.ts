// Status bar item: the object the active BPF source uses; click reveals it in the BTF Lens explorer.

import * as vscode from "vscode";
import { ObjectForSource } from "../../server/src/protocol.js";
import type { FeatureContext } from "./context.js";
import { label } from "./escape.js";

export function activate(ctx: FeatureContext): void {
  if (!ctx.features.objectForSource) return;
  const item = vscode.window.createStatusBarItem("btfLens.object", vscode.StatusBarAlignment.Right, 100);
  item.name = "BTF Lens object";
  ctx.ext.subscriptions.push(item);
  let generation = 0;

  async function update(): Promise<void> {
    const gen = ++generation;
    const doc = vscode.window.activeTextEditor?.document;
    if (doc === undefined || doc.languageId !== "c" || doc.uri.scheme !== "file") {
      item.hide();
      await vscode.commands.executeCommand("setContext", "btfLens.sourceHasObject", false);
      return;
    }
    let r: ObjectForSource.Result;
    try {
      r = await ctx.client.sendRequest(ObjectForSource.type, { uri: doc.uri.toString() });
    } catch (e) {
      ctx.log.warn(`objectForSource failed: ${String(e)}`);
      return;
    }
    if (gen !== generation) return; // a newer editor change won
    await vscode.commands.executeCommand("setContext", "btfLens.sourceHasObject", r.object !== undefined);
    if (!r.isBpfSource) {
      item.hide();
      return;
    }
    if (r.object === undefined) {
      item.text = "$(warning) BTF: no object";
      item.tooltip = `BTF Lens found no object for this source. Looked in:\n${r.searched.map((s) => `  ${label(s)}`).join("\n")}`;
      item.command = "btfLens.showLogs";
    } else {
      const name = label(r.name ?? vscode.Uri.parse(r.object).path.split("/").pop() ?? "");
      item.text = `$(package) ${name.replace(/\$\(/g, "$\u200b(")}`;
      item.tooltip = `BTF Lens: this source uses ${label(vscode.Uri.parse(r.object).fsPath)}${r.origin !== undefined ? ` (${originText(r.origin)})` : ""}. Click to reveal it.`;
      item.command = { command: "btfLens.revealObject", title: "Reveal Object in Explorer", arguments: [r.object] };
    }
    item.show();
  }

  const refresh = (): void => {
    void update();
  };
  ctx.ext.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(refresh),
    ctx.events.onObjectsChanged(refresh),
    ctx.events.onObjectChanged(refresh),
  );
  refresh();
}

function originText(o: NonNullable<ObjectForSource.Result["origin"]>): string {
  switch (o) {
    case "beside":
      return "found beside the source";
    case "output-dir":
      return "found in the build output directory";
    case "search-path":
      return "found through btfLens.objectSearchPaths";
    case "line-info":
      return "its BTF line info names this source";
    case "opened":
      return "opened by path";
  }
}
