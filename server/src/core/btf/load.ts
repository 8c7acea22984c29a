// Finds the BTF in an input file the way bpftool does: a raw BTF blob first, else the .BTF section of an ELF.

import { ERRNO, malformed, BtfLensError } from "../errors.js";
import { isElf, parseElf, type ElfFile } from "../elf/elf.js";
import { type BtfExt, parseBtfExt } from "./ext.js";
import { type Btf, isRawBtf, type ParseBtfOptions, parseBtf } from "./parse.js";
import { mergeSplitBtf } from "./split.js";

export interface LoadedBtf {
  readonly btf: Btf;
  /** The ELF file when the input was an object; undefined for raw BTF. */
  readonly elf: ElfFile | undefined;
  /** First type id of this file: 1, or the base's type count for split BTF (what a raw dump starts at). */
  readonly startId: number;
}

/** Where a file's BTF is: the whole file (raw BTF) or its .BTF section, with that blob's file offset. */
export interface BtfBlob {
  readonly blob: Uint8Array;
  readonly offset: number;
  readonly elf: ElfFile | undefined;
}

/**
 * Finds the BTF in `bytes` as libbpf's btf__parse does: raw BTF (magic 0xeb9f in either byte
 * order) first, else the `.BTF` section of an ELF object. No BTF in an ELF: ENODATA (libbpf 1.7).
 */
export function btfBlobOf(bytes: Uint8Array): BtfBlob {
  // libbpf first reads a 2-byte magic to tell raw BTF from ELF; a shorter file is an I/O error.
  if (bytes.length < 2) throw new BtfLensError("truncated", "Input/output error: file is shorter than a BTF magic", { errno: ERRNO.EIO });
  if (isRawBtf(bytes)) return { blob: bytes, offset: 0, elf: undefined };
  if (!isElf(bytes)) {
    throw malformed("not an ELF object or raw BTF file (unknown magic)", 0, ERRNO.LIBBPF_FORMAT);
  }
  let elf: ElfFile;
  try {
    elf = parseElf(bytes);
  } catch (e) {
    // libbpf reads objects through libelf: any structural ELF failure is LIBBPF_ERRNO__FORMAT.
    if (e instanceof BtfLensError) {
      throw new BtfLensError(e.kind, e.detail, { offset: e.offset, errno: ERRNO.LIBBPF_FORMAT, context: e.context });
    }
    throw e;
  }
  const sec = elf.sectionByName(".BTF");
  if (!sec) throw new BtfLensError("malformed", "no .BTF section (was it compiled with -g?)", { errno: ERRNO.ENODATA });
  return { blob: sec.data, offset: sec.offset, elf };
}

/** Parses the BTF of `bytes` (raw BTF or an ELF object's .BTF). */
export function loadBtf(bytes: Uint8Array, options: ParseBtfOptions = {}): LoadedBtf {
  const { blob, offset, elf } = btfBlobOf(bytes);
  try {
    return { btf: parseBtf(blob, offset, options), elf, startId: 1 };
  } catch (e) {
    throw elf && e instanceof BtfLensError ? e.within(".BTF") : e;
  }
}

/**
 * Parses the split BTF in `bytes` on top of `base` (a raw BTF blob or an object with .BTF), as
 * btf__parse_split does for kernel-module BTF and bpftool's -B: one id space, base types first.
 */
export function loadSplitBtf(bytes: Uint8Array, base: Uint8Array, options: ParseBtfOptions = {}): LoadedBtf {
  const split = btfBlobOf(bytes);
  const merged = mergeSplitBtf(btfBlobOf(base).blob, split.blob);
  const btf = parseBtf(merged.blob, 0, options);
  // The split's first record starts right after the base's type section.
  let startId = btf.count;
  for (let id = 1; id < btf.count; id++) {
    if ((btf.typeOffsets[id] as number) >= merged.baseTypeBytes) {
      startId = id;
      break;
    }
  }
  return { btf, elf: split.elf, startId };
}

/**
 * The object's .BTF.ext, or undefined when there is none. Parsed separately from loadBtf because
 * bpftool's `btf dump` never reads it (a corrupt .BTF.ext does not stop a dump).
 */
export function loadBtfExt(loaded: Pick<LoadedBtf, "btf" | "elf">): BtfExt | undefined {
  const sec = loaded.elf?.sectionByName(".BTF.ext");
  if (!sec) return undefined;
  return parseBtfExt(sec.data, loaded.btf, sec.offset);
}
