// `btf-lens lsp --stdio`: runs the language server over stdin/stdout for any LSP editor (Neovim, Helix, Emacs).

import { join } from "node:path";
import { UsageError } from "./args.js";
import type { CliCommand } from "./registry.js";

export const lspCommand: CliCommand = {
  keyword: "lsp",
  run(args) {
    const transport = args[0];
    if (args.length !== 1 || (transport !== "--stdio" && transport !== "--node-ipc")) {
      throw new UsageError("usage: btf-lens lsp --stdio");
    }
    // The server is its own bundle beside this one (dist/server.js), loaded only here so that the
    // other commands do not pay for vscode-languageserver at start-up. It reads the transport
    // (--stdio / --node-ipc) from the command line, like every vscode-languageserver program.
    require(join(__dirname, "server.js"));
    // The connection keeps the process alive; the exit code applies when the client says exit.
    return 0;
  },
};
