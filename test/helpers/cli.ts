// Runs the built CLI (dist/cli.js) as a user would: a real process, its exit code, stdout and stderr.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const CLI = join(__dirname, "..", "..", "dist", "cli.js");

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], cwd?: string): CliResult {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, cwd });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** bpftool's failure contract: non-zero exit, exactly one `Error: ` line on stderr, nothing on stdout. */
export function isCleanFailure(r: CliResult): boolean {
  const lines = r.stderr.split("\n").filter((l) => l.length > 0);
  return r.status !== 0 && r.stdout === "" && lines.length === 1 && (lines[0] ?? "").startsWith("Error: ");
}
