// `btf-lens gen skeleton|subskeleton FILE [name NAME]`, with bpftool's grammar, exit codes and one-line errors.

import { statSync } from "node:fs";
import { BtfLensError } from "../core/errors.js";
import { LIBBPF_ERRNO, objectNameFromPath, openObject } from "../core/object/index.js";
import type { BpfObject } from "../core/object/types.js";
import type { Profile } from "../core/profile.js";
import { generateSkeleton } from "../core/skel/index.js";
import { isPrefix, UsageError } from "./args.js";
import { readInput, type OutputBuffer } from "./io.js";
import type { CliCommand } from "./registry.js";

/** bpftool: MAX_OBJ_NAME_LEN - 1. */
const MAX_NAME = 63;
/** Exit status for features this tool does not implement yet. */
const NOT_SUPPORTED = 2;

const STRERROR: Record<number, string> = {
  1: "Operation not permitted",
  2: "No such file or directory",
  3: "No such process",
  7: "Argument list too long",
  12: "Cannot allocate memory",
  22: "Invalid argument",
  61: "No data available",
  95: "Operation not supported",
  4000: "Something wrong in libelf",
  [LIBBPF_ERRNO.FORMAT]: "BPF object format invalid",
  4002: "'version' section incorrect or lost",
  [LIBBPF_ERRNO.ENDIAN]: "Endian mismatch",
  4004: "Internal error in libbpf",
  [LIBBPF_ERRNO.RELOC]: "Relocation failed",
};

/** libbpf_strerror(): libbpf's own codes, then the C library's texts. */
function strerror(errno: number): string {
  return STRERROR[errno] ?? `Unknown error ${errno}`;
}

function notSupported(what: string): never {
  throw new UsageError(`${what} is not supported yet`, NOT_SUPPORTED);
}

interface GenArgs {
  readonly file: string;
  readonly name: string | undefined;
}

/** Parses `FILE [name NAME]` like do_skeleton: REQ_ARGS(2) for each keyword, `name` at most once. */
function parseArgs(args: string[]): GenArgs {
  const file = args.shift();
  if (file === undefined) throw new UsageError("expected a file name (gen skeleton FILE [name NAME])");
  let name: string | undefined;
  while (args.length > 0) {
    if (args.length < 2) throw new UsageError(`'${args[0] ?? ""}' needs at least 2 arguments, ${args.length} found`);
    const kw = args.shift() as string;
    if (!isPrefix(kw, "name")) throw new UsageError(`unknown arg ${kw}`);
    if (name !== undefined) throw new UsageError("object name already specified");
    name = (args.shift() as string).slice(0, MAX_NAME);
  }
  return { file, name };
}

function readObjectFile(file: string): Uint8Array {
  try {
    statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`failed to stat() ${file}: ${code === "ENOENT" ? "No such file or directory" : (code ?? "error")}`);
  }
  let bytes: Uint8Array;
  try {
    bytes = readInput(file);
  } catch (e) {
    throw new UsageError(`failed to open() ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  // bpftool mmap()s the file, which fails for an empty one.
  if (bytes.length === 0) throw new UsageError(`failed to mmap() ${file}: Invalid argument`);
  return bytes;
}

function runGen(kind: "skeleton" | "subskeleton", args: string[], profile: Profile, out: OutputBuffer, warn: (s: string) => void): number {
  const { file, name: nameArg } = parseArgs(args);
  const bytes = readObjectFile(file);
  const name = nameArg ?? objectNameFromPath(file);
  let obj: BpfObject;
  try {
    // bpftool hands libbpf the object name for skeletons and an empty one for subskeletons.
    obj = openObject(bytes, { profile, name: kind === "skeleton" ? name : "" });
  } catch (e) {
    if (!(e instanceof BtfLensError)) throw e;
    // A subskeleton failure is always exit 255 (bpftool returns -1).
    const errno = kind === "skeleton" ? e.errno : 1;
    throw new BtfLensError(e.kind, `failed to open BPF object file: ${strerror(e.errno)}`, { errno });
  }
  for (const line of obj.log) warn(`libbpf: ${line}`);
  // Generation errors keep their errno in both commands: bpftool's do_subskeleton returns -1 only where it fails
  // to open the object or finds no BTF, and what gen_st_ops_shadow and btf_dump return otherwise.
  const { text } = generateSkeleton(obj, { profile, name, kind });
  out.sink(text);
  return 0;
}

export const genCommand: CliCommand = {
  keyword: "gen",
  run(args, profile, out, warn) {
    if (args.some((a) => a === "-L" || a === "--use-loader")) notSupported("gen skeleton -L (light skeleton)");
    if (args.some((a) => a === "-S" || a === "--sign")) notSupported("gen skeleton -S (signed loader)");
    const sub = args.shift();
    if (sub === undefined) throw new UsageError("'gen' needs a command: skeleton, subskeleton");
    // bpftool's cmd_select() takes the first command the word is a prefix of, in this order.
    if (isPrefix(sub, "object")) notSupported("gen object");
    if (isPrefix(sub, "skeleton")) return runGen("skeleton", args, profile, out, warn);
    if (isPrefix(sub, "subskeleton")) return runGen("subskeleton", args, profile, out, warn);
    if (isPrefix(sub, "min_core_btf")) notSupported("gen min_core_btf");
    throw new UsageError(`unknown command '${sub}' (expected: skeleton, subskeleton)`);
  },
};
