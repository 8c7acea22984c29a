// The CLI's top-level objects besides `btf`: each feature registers its keyword here.

import type { Profile } from "../core/profile.js";
import type { OutputBuffer } from "./io.js";
import { lspCommand } from "./lsp-command.js";
import { genCommand } from "./gen-command.js";

export interface CliCommand {
  /** bpftool object keyword, matched by prefix ("gen", "lsp"). */
  readonly keyword: string;
  /** Runs with the remaining arguments; returns the exit code. Throw UsageError/BtfLensError on failure. */
  run(args: string[], profile: Profile, out: OutputBuffer, warn: (s: string) => void): number;
}

export const commands: CliCommand[] = [lspCommand, genCommand];
