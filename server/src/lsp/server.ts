// Entry point of dist/server.js: the language server on the transport named on the command line (--node-ipc, --stdio).

import { ProposedFeatures, createConnection } from "vscode-languageserver/node";
import { startServer } from "./start.js";

startServer(createConnection(ProposedFeatures.all));
