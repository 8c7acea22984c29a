// btf-lens command line: bpftool's grammar for `btf dump` and `gen`, with a --bpftool output profile.

import { BtfLensError } from "../core/errors.js";
import { encodeLossless } from "../core/text/lossless-utf8.js";
import { DEFAULT_PROFILE, PROFILES, isProfileName, type ProfileName } from "../core/profile.js";
import { UsageError, isPrefix } from "./args.js";
import { runBtf, setCDumper } from "./btf-command.js";
import { dumpCBytes } from "../core/btf/c-dump/index.js";
import { OutputBuffer, writeAll } from "./io.js";
import { commands } from "./registry.js";

setCDumper((btf, profile, sorted, out) => dumpCBytes(btf, { profile, sorted }, out));

declare const BTF_LENS_VERSION: string;
const VERSION = typeof BTF_LENS_VERSION === "string" ? BTF_LENS_VERSION : "0.0.0-dev";

const USAGE = `Usage: btf-lens [--bpftool 7.7|7.1] OBJECT COMMAND

  btf-lens btf dump file FILE [format {raw | c [unsorted]}]
  btf-lens gen skeleton FILE [name NAME]
  btf-lens gen subskeleton FILE [name NAME]
  btf-lens lsp --stdio

Options:
  --bpftool 7.7|7.1  output profile: bpftool v7.7.0 (libbpf 1.7, default) or
                     Debian 12's bpftool 7.1.0 (libbpf 1.1)
  -B, --base-btf FILE  base BTF for split BTF (kernel modules); files under
                     /sys/kernel/btf/ other than vmlinux get /sys/kernel/btf/vmlinux
  --debug            print stack traces for internal errors
  -h, --help         show this help
  -V, --version      show the version

Keywords may be abbreviated as with bpftool ("btf d f x.o f c").
FILE may be a BPF ELF object or a raw BTF file such as /sys/kernel/btf/vmlinux.
`;

function err(line: string): void {
  writeAll(2, encodeLossless(`${line.replace(/[\r\n]+/g, " ")}\n`));
}

/** Runs the CLI and returns the exit code. Exported for in-process tests. */
export function main(argv: string[]): number {
  const args = [...argv];
  let profileName: ProfileName = DEFAULT_PROFILE;
  let debug = false;
  let baseBtf: string | undefined;
  // Global options come before the object keyword, as with bpftool.
  while (args.length > 0 && (args[0] ?? "").startsWith("-")) {
    const a = args.shift() as string;
    if (a === "-h" || a === "--help") {
      writeAll(1, Buffer.from(USAGE));
      return 0;
    }
    if (a === "-V" || a === "--version") {
      writeAll(1, Buffer.from(`btf-lens ${VERSION}\n`));
      return 0;
    }
    if (a === "--debug" || a === "-d") {
      debug = true;
      continue;
    }
    if (a === "-B" || a === "--base-btf" || a.startsWith("--base-btf=")) {
      baseBtf = a.startsWith("--base-btf=") ? a.slice("--base-btf=".length) : args.shift();
      if (!baseBtf) {
        err(`Error: ${a} needs a file`);
        return 255;
      }
      continue;
    }
    let value: string | undefined;
    if (a === "--bpftool") value = args.shift();
    else if (a.startsWith("--bpftool=")) value = a.slice("--bpftool=".length);
    else {
      err(`Error: unknown option '${a}' (see btf-lens --help)`);
      return 255;
    }
    if (value === undefined || !isProfileName(value)) {
      err(`Error: --bpftool takes 7.7 or 7.1, not '${value ?? ""}'`);
      return 255;
    }
    profileName = value;
  }
  const profile = PROFILES[profileName];
  const out = new OutputBuffer();
  const warn = (s: string): void => err(s);
  try {
    const object = args.shift();
    if (object === undefined) {
      writeAll(2, Buffer.from(USAGE));
      return 255;
    }
    if (isPrefix(object, "btf")) {
      runBtf(args, profile, out, warn, { baseBtf });
    } else {
      const cmd = commands.find((c) => isPrefix(object, c.keyword));
      if (!cmd) throw new UsageError(`unknown object '${object}' (expected btf, gen or lsp; see --help)`);
      const code = cmd.run(args, profile, out, warn);
      if (code !== 0) return code;
    }
    out.flush();
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`Error: ${e.message}`);
      return e.exitCode;
    }
    if (e instanceof BtfLensError) {
      err(`Error: ${e.message}`);
      return (256 - (e.errno % 256)) % 256 || 255;
    }
    if (debug) writeAll(2, Buffer.from(`${(e as Error).stack ?? String(e)}\n`));
    err(`Error: internal error: ${(e as Error).message ?? String(e)} (run with --debug for details)`);
    return 70;
  }
}

if (typeof require !== "undefined" && require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
