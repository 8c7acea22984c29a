// The object's .BTF section parsed, or undefined when there is none (libbpf opens such objects without BTF).

import { parseBtf, type Btf } from "../btf/parse.js";
import type { ElfFile } from "../elf/elf.js";
import { BtfLensError } from "../errors.js";

/**
 * `sanityCheck` as the profile's libbpf: 1.7 refuses BTF that fails btf_sanity_check. libbpf 1.1 has no such check;
 * we still refuse string offsets or type ids out of range (what libbpf 1.1 would read past, or trip over later),
 * but accept a FUNC whose type is not a FUNC_PROTO, which opening an object never follows.
 */
export function loadBtfFromElf(elf: ElfFile, sanityCheck: boolean): Btf | undefined {
  const sec = elf.sectionByName(".BTF");
  if (!sec) return undefined;
  try {
    const btf = parseBtf(sec.data, sec.offset, { sanityCheck });
    if (btf.referenceError) throw btf.referenceError;
    return btf;
  } catch (e) {
    throw e instanceof BtfLensError ? e.within(".BTF") : e;
  }
}
