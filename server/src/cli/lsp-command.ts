// `btf-lens lsp --stdio`: runs the language server over stdin/stdout for any LSP editor (Neovim, Helix, Emacs).

import { ProposedFeatures, createConnection } from "vscode-languageserver/node";
import { startServer } from "../lsp/start.js";
import { UsageError } from "./args.js";
import type { CliCommand } from "./registry.js";

export const lspCommand: CliCommand = {
  keyword: "lsp",
  run(args) {
    const transport = args[0];
    if (args.length !== 1 || (transport !== "--stdio" && transport !== "--node-ipc")) {
      throw new UsageError("usage: btf-lens lsp --stdio");
    }
    const connection =
      transport === "--stdio"
        ? createConnection(ProposedFeatures.all, process.stdin, process.stdout)
        : createConnection(ProposedFeatures.all);
    startServer(connection);
    // The connection keeps the process alive; the exit code applies when the client says exit.
    return 0;
  },
};
