// `btf-lens btf dump file FILE [format {raw | c [unsorted]}]`, with bpftool's grammar and errors.

import { BtfLensError, ERRNO } from "../core/errors.js";
import { loadBtf, loadSplitBtf } from "../core/btf/load.js";
import { dumpRaw } from "../core/btf/raw-dump.js";
import type { Profile } from "../core/profile.js";
import { isPrefix, UsageError } from "./args.js";
import { readInput, type OutputBuffer } from "./io.js";
import type { Btf } from "../core/btf/parse.js";

export type CDumpHook = (btf: Btf, profile: Profile, sorted: boolean, out: (chunk: Uint8Array) => void) => void

let cDumper: CDumpHook | undefined;

/** Installs the C dumper (kept as a hook so this file does not depend on its size). */
export function setCDumper(hook: CDumpHook): void {
  cDumper = hook;
}

const SYSFS_VMLINUX = "/sys/kernel/btf/vmlinux";

/**
 * The file, read as libbpf's btf__parse does: fopen() then fread() of the magic, so a directory
 * opens fine and fails the read with EIO ("Input/output error"), not EISDIR.
 */
function readBtfInput(path: string): Uint8Array {
  try {
    return readInput(path);
  } catch (e) {
    if (e instanceof BtfLensError && e.errno === 21) throw new BtfLensError("malformed", "Input/output error (it is a directory)", { errno: ERRNO.EIO });
    throw e;
  }
}

export interface BtfOptions {
  /** bpftool's -B/--base-btf. */
  readonly baseBtf?: string | undefined;
}

const SYSFS_PREFIX = "/sys/kernel/btf/";

/**
 * The base for a split BTF, as bpftool picks it: -B, else /sys/kernel/btf/vmlinux for any other
 * file under /sys/kernel/btf/ (kernel modules). A base that does not parse fails with exit 255.
 */
function baseFor(path: string, profile: Profile, explicit: string | undefined): Uint8Array | undefined {
  const basePath = explicit ?? (path.startsWith(SYSFS_PREFIX) && path !== SYSFS_VMLINUX ? SYSFS_VMLINUX : undefined);
  if (basePath === undefined) return undefined;
  try {
    const bytes = readBtfInput(basePath);
    loadBtf(bytes, { sanityCheck: profile.btfSanityCheck });
    return bytes;
  } catch (e) {
    if (e instanceof BtfLensError) throw new UsageError(`failed to parse base BTF at '${basePath}': -${e.errno} (${e.message})`, 255);
    throw e;
  }
}

export function runBtf(args: string[], profile: Profile, out: OutputBuffer, warn: (s: string) => void, options: BtfOptions = {}): void {
  const sub = args.shift();
  if (!isPrefix(sub, "dump")) throw new UsageError(sub === undefined ? "'btf' needs a command: dump" : `unknown command '${sub}' (expected: dump)`);
  const src = args.shift();
  if (!isPrefix(src, "file")) {
    throw new UsageError(src === undefined ? "expected 'file FILE'" : `unrecognized BTF source specifier: '${src}' (only 'file' is supported)`);
  }
  const path = args.shift();
  if (path === undefined) throw new UsageError("expected a file name after 'file'");
  // bpftool loads the file before it looks at the options, so a load error wins over a bad option.
  if (profile.name === "7.7" && path === SYSFS_VMLINUX) warn(`skipping ${SYSFS_VMLINUX} (will be loaded as base)`);

  const base = baseFor(path, profile, options.baseBtf);
  let btf: Btf;
  let startId = 1;
  try {
    const bytes = readBtfInput(path);
    const parse = { sanityCheck: profile.btfSanityCheck };
    const loaded = base ? loadSplitBtf(bytes, base, parse) : loadBtf(bytes, parse);
    btf = loaded.btf;
    startId = loaded.startId;
  } catch (e) {
    if (e instanceof BtfLensError) {
      const errno = e.errno === 61 ? profile.noBtfErrno : e.errno;
      throw new BtfLensError(e.kind, e.message, { errno, context: [`failed to load BTF from ${path}`] });
    }
    throw e;
  }
  let format: "raw" | "c" = "raw";
  let sorted = profile.sortedCDump;
  while (args.length > 0) {
    const a = args.shift();
    if (isPrefix(a, "format")) {
      const f = args.shift();
      if (f === undefined) throw new UsageError("expecting value for 'format' option", 234);
      if (f === "c") format = "c";
      else if (f === "raw") format = "raw";
      else throw new UsageError(`unrecognized format specifier: '${f}', possible values: raw, c`, 234);
    } else if (profile.sortedCDump && isPrefix(a, "unsorted")) {
      sorted = false;
    } else {
      throw new UsageError(`unrecognized option: '${a}'`, 234);
    }
  }
  if (format === "raw") {
    dumpRaw(btf, out.sink, startId);
  } else {
    if (!cDumper) throw new UsageError("format c is not available in this build", 161);
    // Lenient (libbpf 1.1) parsing let references out of range through for the raw dump; the C dumper needs them
    // in range (where bpftool 7.1 would read out of bounds or crash).
    if (btf.referenceError) throw btf.referenceError.within(`failed to dump ${path}`);
    cDumper(btf, profile, sorted, out.sinkBytes);
  }
}
