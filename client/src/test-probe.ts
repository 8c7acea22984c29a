// Test-only command (btfLens.test.probe), registered only when BTF_LENS_TEST_RESULTS is set: runs the requests in
// BTF_LENS_TEST_REQUESTS through the real VS Code API and writes the results as JSON (contract: test/e2e/README.md).

import { readFile, rename, writeFile } from "node:fs/promises";
import * as vscode from "vscode";
import type { FeatureContext } from "./context.js";
import { decodeArg, encodeValue, type ProbeFactory, type ProbeKinds } from "./probe-json.js";

interface ProbeRequest {
  id: string;
  command: string;
  args?: unknown[];
}

const factory: ProbeFactory = {
  file: (p) => vscode.Uri.file(p),
  parse: (s) => vscode.Uri.parse(s),
  position: (l, c) => new vscode.Position(l, c),
  range: (a, b, c, d) => new vscode.Range(a, b, c, d),
};

const kinds: ProbeKinds = {
  isUri: (v) => v instanceof vscode.Uri,
  isMarkdown: (v) => v instanceof vscode.MarkdownString,
  isPosition: (v) => v instanceof vscode.Position,
  isRange: (v) => v instanceof vscode.Range,
};

function withTimeout<T>(p: Thenable<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    Promise.resolve(p).then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

async function runOne(r: ProbeRequest): Promise<unknown> {
  const args = (r.args ?? []).map((a) => decodeArg(a, factory));
  switch (r.command) {
    case "$documentText": {
      const uri = args[0] instanceof vscode.Uri ? args[0] : vscode.Uri.parse(String(args[0]));
      return (await vscode.workspace.openTextDocument(uri)).getText();
    }
    case "$activeEditor": {
      const e = vscode.window.activeTextEditor;
      return e === undefined ? null : { uri: e.document.uri.toString(), languageId: e.document.languageId, text: e.document.getText() };
    }
    default:
      return vscode.commands.executeCommand(r.command, ...args);
  }
}

export function activate(ctx: FeatureContext): void {
  const resultsPath = process.env.BTF_LENS_TEST_RESULTS;
  if (resultsPath === undefined || resultsPath === "") return;
  const requestsPath = process.env.BTF_LENS_TEST_REQUESTS;
  void vscode.commands.executeCommand("setContext", "btfLens.testMode", true);
  ctx.ext.subscriptions.push(
    vscode.commands.registerCommand("btfLens.test.probe", async () => {
      let runId: unknown = null;
      const results: unknown[] = [];
      try {
        if (requestsPath === undefined) throw new Error("BTF_LENS_TEST_REQUESTS is not set");
        const input = JSON.parse(await readFile(requestsPath, "utf8")) as { runId?: unknown; requests?: ProbeRequest[] };
        runId = input.runId ?? null;
        for (const r of input.requests ?? []) {
          try {
            const value = await withTimeout(runOne(r), 15_000, r.command);
            results.push({ id: r.id, ok: true, value: encodeValue(value, kinds) ?? null });
          } catch (e) {
            results.push({ id: r.id, ok: false, error: e instanceof Error ? e.message : String(e) });
          }
        }
      } catch (e) {
        results.push({ id: "$probe", ok: false, error: e instanceof Error ? e.message : String(e) });
      }
      const tmp = `${resultsPath}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify({ runId, results }, null, 1));
      await rename(tmp, resultsPath);
      ctx.log.info(`test probe ${String(runId)}: ${results.length} results`);
    }),
  );
}
