// The object's .BTF section parsed, or undefined when there is none (libbpf opens such objects without BTF).

import { parseBtf, type Btf } from "../btf/parse.js";
import type { ElfFile } from "../elf/elf.js";
import { BtfLensError } from "../errors.js";

export function loadBtfFromElf(elf: ElfFile): Btf | undefined {
  const sec = elf.sectionByName(".BTF");
  if (!sec) return undefined;
  try {
    return parseBtf(sec.data, sec.offset);
  } catch (e) {
    throw e instanceof BtfLensError ? e.within(".BTF") : e;
  }
}
