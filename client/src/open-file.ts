// "BTF Lens: Open BTF File...": any object or raw BTF file (e.g. /sys/kernel/btf/vmlinux) into the explorer.

import { existsSync } from "node:fs";
import * as vscode from "vscode";
import { DidChangeWatchedFilesNotification, FileChangeType } from "vscode-languageclient/node";
import { OpenFile } from "../../server/src/protocol.js";
import { type FeatureContext, withParseProgress } from "./context.js";
import { label } from "./escape.js";

export function activate(ctx: FeatureContext): void {
  if (!ctx.features.openFile) return;
  const watched = new Map<string, vscode.Disposable>();

  /** Objects outside the workspace are not covered by the client's file watcher: watch them one by one. */
  const watch = (uri: vscode.Uri): void => {
    if (watched.has(uri.toString()) || vscode.workspace.getWorkspaceFolder(uri) !== undefined) return;
    const dir = vscode.Uri.joinPath(uri, "..");
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, uri.path.split("/").pop() ?? ""));
    const send = (type: FileChangeType) => (u: vscode.Uri) =>
      void ctx.client.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: u.toString(), type }] });
    w.onDidChange(send(FileChangeType.Changed));
    w.onDidCreate(send(FileChangeType.Created));
    w.onDidDelete(send(FileChangeType.Deleted));
    watched.set(uri.toString(), w);
  };

  ctx.ext.subscriptions.push(
    {
      dispose: () => {
        for (const w of watched.values()) w.dispose();
      },
    },
    vscode.commands.registerCommand("btfLens.openBtfFile", async (arg?: unknown) => {
      let uri: vscode.Uri | undefined =
        arg instanceof vscode.Uri ? arg : typeof arg === "string" ? vscode.Uri.file(arg) : undefined;
      if (uri === undefined) {
        const kernel = "/sys/kernel/btf";
        const picked = await vscode.window.showOpenDialog({
          title: "BTF Lens: Open BTF File",
          openLabel: "Open BTF",
          canSelectMany: false,
          ...(existsSync(kernel) ? { defaultUri: vscode.Uri.file(kernel) } : {}),
          filters: { "BPF objects and BTF": ["o", "btf", "*"] },
        });
        uri = picked?.[0];
      }
      if (uri === undefined) return;
      const path = uri.fsPath;
      try {
        const o = await withParseProgress(label(path), (token) => ctx.client.sendRequest(OpenFile.type, { path }, token));
        if (o.error !== undefined) {
          void vscode.window.showErrorMessage(`BTF Lens: cannot read ${label(path)}: ${label(o.error, 500)}`);
        }
        ctx.log.info(`opened ${path}: ${o.typeCount} types`);
        watch(uri);
        await vscode.commands.executeCommand("btfLens.revealObject", o.uri);
      } catch (e) {
        void vscode.window.showErrorMessage(`BTF Lens: cannot open ${label(path)}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }),
  );
}
