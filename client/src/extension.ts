// Extension entry: starts the BTF Lens language server over IPC, reads its feature flags, turns on each feature.

import * as vscode from "vscode";
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from "vscode-languageclient/node";
import { type FeatureContext, readFeatures, ServerEvents, setFeatureContextKeys } from "./context.js";
import * as findType from "./find-type.js";
import * as generateSkeleton from "./generate-skeleton.js";
import * as layoutPanel from "./layout-panel.js";
import * as openFile from "./open-file.js";
import * as skeletonPreview from "./skeleton-preview.js";
import * as statusItem from "./status-item.js";
import * as testProbe from "./test-probe.js";
import * as explorer from "./tree/explorer.js";
import { TypeIndex } from "./type-index.js";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("BTF Lens", { log: true });
  context.subscriptions.push(log, vscode.commands.registerCommand("btfLens.showLogs", () => log.show()));

  const module = context.asAbsolutePath("dist/server.js");
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6009"] } },
  };
  const objectWatcher = vscode.workspace.createFileSystemWatcher("**/*.o");
  context.subscriptions.push(objectWatcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: "c", scheme: "file" }],
    synchronize: { fileEvents: objectWatcher, configurationSection: "btfLens" },
    outputChannel: log,
    initializationOptions: () => {
      const c = vscode.workspace.getConfiguration("btfLens");
      return {
        settings: {
          bpftoolVersion: c.get<string>("bpftoolVersion", "7.7"),
          objectSearchPaths: c.get<string[]>("objectSearchPaths", []),
        },
      };
    },
  };
  client = new LanguageClient("btfLens", "BTF Lens", serverOptions, clientOptions);
  const events = new ServerEvents(client, log);
  context.subscriptions.push(events);

  try {
    await client.start();
  } catch (e) {
    log.error(`the language server did not start: ${String(e)}`);
    void vscode.window.showErrorMessage("BTF Lens: the language server did not start. See the BTF Lens output.");
    return;
  }
  const features = await readFeatures(client, log);
  log.info(`server features: ${JSON.stringify(features)}`);
  await setFeatureContextKeys(features);

  const ctx: FeatureContext = { ext: context, client, features, log, events };
  const types = features.types ? new TypeIndex(ctx) : undefined;
  if (types !== undefined) context.subscriptions.push(types);

  explorer.activate(ctx, types);
  skeletonPreview.activate(ctx);
  generateSkeleton.activate(ctx);
  layoutPanel.activate(ctx);
  openFile.activate(ctx);
  findType.activate(ctx, types);
  statusItem.activate(ctx);
  testProbe.activate(ctx);
  await registerFallbacks(context, log);
  await vscode.commands.executeCommand("setContext", "btfLens.serverReady", true);
}

/**
 * Palette entries are not gated on the server's features (a command run while the extension is still activating must
 * find its handler), so commands whose feature the server lacks get a handler that says so.
 */
async function registerFallbacks(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<void> {
  const registered = new Set(await vscode.commands.getCommands(true));
  const contributed = (context.extension.packageJSON as { contributes?: { commands?: { command: string; title: string }[] } })
    .contributes?.commands;
  for (const c of contributed ?? []) {
    if (registered.has(c.command) || c.command.startsWith("btfLens.test.")) continue;
    context.subscriptions.push(
      vscode.commands.registerCommand(c.command, () => {
        log.warn(`${c.command}: not supported by this language server`);
        void vscode.window.showInformationMessage(`BTF Lens: ${c.title} is not supported by this language server.`);
      }),
    );
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
