// Finds the BTF in an input file the way bpftool does: a raw BTF blob first, else the .BTF section of an ELF.

import { ERRNO, malformed, BtfLensError } from "../errors.js";
import { isElf, parseElf, type ElfFile } from "../elf/elf.js";
import { type BtfExt, parseBtfExt } from "./ext.js";
import { type Btf, isRawBtf, type ParseBtfOptions, parseBtf } from "./parse.js";

export interface LoadedBtf {
  readonly btf: Btf;
  /** The ELF file when the input was an object; undefined for raw BTF. */
  readonly elf: ElfFile | undefined;
}

/**
 * Parses `bytes` as raw BTF (magic 0xeb9f in either byte order) or as an ELF object with a
 * `.BTF` section. No BTF in an ELF: ENODATA, as libbpf 1.7 reports it.
 */
export function loadBtf(bytes: Uint8Array, options: ParseBtfOptions = {}): LoadedBtf {
  // libbpf first reads a 2-byte magic to tell raw BTF from ELF; a shorter file is an I/O error.
  if (bytes.length < 2) throw new BtfLensError("truncated", "Input/output error: file is shorter than a BTF magic", { errno: ERRNO.EIO });
  if (isRawBtf(bytes)) return { btf: parseBtf(bytes, 0, options), elf: undefined };
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
  try {
    return { btf: parseBtf(sec.data, sec.offset, options), elf };
  } catch (e) {
    throw e instanceof BtfLensError ? e.within(".BTF") : e;
  }
}

/**
 * The object's .BTF.ext, or undefined when there is none. Parsed separately from loadBtf because
 * bpftool's `btf dump` never reads it (a corrupt .BTF.ext does not stop a dump).
 */
export function loadBtfExt(loaded: LoadedBtf): BtfExt | undefined {
  const sec = loaded.elf?.sectionByName(".BTF.ext");
  if (!sec) return undefined;
  return parseBtfExt(sec.data, loaded.btf, sec.offset);
}
