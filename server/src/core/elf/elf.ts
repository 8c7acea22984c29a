// ELF64 reader (both byte orders): header, section headers and names, symbols, REL relocations.

import { ByteReader, cString, type ByteOrder } from "../bytes.js";
import { ERRNO, malformed, truncated, unsupported } from "../errors.js";

export const SHT = {
  NULL: 0,
  PROGBITS: 1,
  SYMTAB: 2,
  STRTAB: 3,
  RELA: 4,
  NOBITS: 8,
  REL: 9,
} as const;

export const SHF = { WRITE: 0x1, ALLOC: 0x2, EXECINSTR: 0x4 } as const;
export const STT = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4 } as const;
export const STB = { LOCAL: 0, GLOBAL: 1, WEAK: 2 } as const;
export const STV = { DEFAULT: 0, INTERNAL: 1, HIDDEN: 2, PROTECTED: 3 } as const;
export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const EM_BPF = 247;
export const ET_REL = 1;

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  /** File offset of the section's bytes (meaningless for NOBITS). */
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
  readonly entsize: number;
  /** The section's bytes; empty for NOBITS and for SHT_NULL. */
  readonly data: Uint8Array;
}

export interface ElfSymbol {
  readonly index: number;
  readonly name: string;
  readonly bind: number;
  readonly type: number;
  readonly visibility: number;
  readonly shndx: number;
  readonly value: number;
  readonly size: number;
}

export interface ElfRel {
  readonly offset: number;
  readonly symbol: number;
  readonly type: number;
}

export interface ElfFile {
  readonly bytes: Uint8Array;
  readonly order: ByteOrder;
  readonly type: number;
  readonly machine: number;
  readonly sections: readonly ElfSection[];
  readonly symbols: readonly ElfSymbol[];
  /** Index of the SYMTAB section, or -1. */
  readonly symtabIndex: number;
  sectionByName(name: string): ElfSection | undefined;
  /** REL entries of the relocation section at `index`. */
  rels(section: ElfSection): ElfRel[];
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ELF_MAGIC.every((b, i) => bytes[i] === b);
}

/** Parses an ELF64 relocatable object. Only ELF structure is checked here, not BPF-ness. */
export function parseElf(bytes: Uint8Array): ElfFile {
  if (!isElf(bytes)) throw malformed("not an ELF file (bad magic)", 0, ERRNO.LIBBPF_FORMAT);
  if (bytes.length < 64) throw truncated("ELF header: need 64 bytes", bytes.length);
  const cls = bytes[4];
  if (cls !== 2) throw unsupported(`ELF class ${cls} is not ELF64`, 4, ERRNO.LIBBPF_FORMAT);
  const data = bytes[5];
  if (data !== 1 && data !== 2) throw malformed(`ELF data encoding ${data} is neither LSB nor MSB`, 5, ERRNO.LIBBPF_FORMAT);
  const order: ByteOrder = data === 1 ? "little" : "big";
  const r = new ByteReader(bytes, order);

  const type = r.u16(16, "e_type");
  const machine = r.u16(18, "e_machine");
  const shoff = r.u64(40, "e_shoff");
  let shnum = r.u16(60, "e_shnum");
  let shstrndx = r.u16(62, "e_shstrndx");

  if (shoff === 0) {
    return makeFile(bytes, order, type, machine, [], [], -1, r);
  }
  // e_shentsize is not checked: libelf reads 64-byte ELF64 section headers whatever it says.
  if (shoff >= bytes.length) throw truncated(`section header table at ${shoff} is past the end of the file (${bytes.length} bytes)`, 40);
  // Extended numbering: section 0 holds the real count and string-table index.
  if (shnum === 0) shnum = r.u64(shoff + 32, "section 0 sh_size");
  if (shstrndx === 0xffff) shstrndx = r.u32(shoff + 40, "section 0 sh_link");
  if (shnum * 64 > bytes.length - shoff) {
    throw truncated(`section header table: ${shnum} headers need ${shnum * 64} bytes, ${bytes.length - shoff} left`, shoff);
  }

  interface RawShdr {
    nameOff: number;
    type: number;
    flags: number;
    offset: number;
    size: number;
    link: number;
    info: number;
    addralign: number;
    entsize: number;
  }
  const raw: RawShdr[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * 64;
    raw.push({
      nameOff: r.u32(o, "sh_name"),
      type: r.u32(o + 4, "sh_type"),
      flags: r.u64(o + 8, "sh_flags"),
      offset: r.u64(o + 24, "sh_offset"),
      size: r.u64(o + 32, "sh_size"),
      link: r.u32(o + 40, "sh_link"),
      info: r.u32(o + 44, "sh_info"),
      addralign: r.u64(o + 48, "sh_addralign"),
      entsize: r.u64(o + 56, "sh_entsize"),
    });
  }

  const dataOf = (s: RawShdr, i: number): Uint8Array => {
    if (s.type === SHT.NOBITS || s.type === SHT.NULL) return new Uint8Array(0);
    if (s.offset > bytes.length || s.size > bytes.length - s.offset) {
      throw truncated(`section ${i}: data [${s.offset}, +${s.size}) is past the end of the file (${bytes.length} bytes)`, shoff + i * 64 + 24);
    }
    return bytes.subarray(s.offset, s.offset + s.size);
  };

  const strtabHdr = raw[shstrndx];
  if (shnum > 0 && strtabHdr === undefined) {
    throw malformed(`e_shstrndx ${shstrndx} is out of range (${shnum} sections)`, 62, ERRNO.LIBBPF_FORMAT);
  }
  const shstrtab = strtabHdr ? dataOf(strtabHdr, shstrndx) : new Uint8Array(0);

  const sections: ElfSection[] = raw.map((s, i) => {
    if (i > 0 && s.nameOff >= shstrtab.length) {
      throw malformed(`section ${i}: name offset ${s.nameOff} is outside the section-name table (${shstrtab.length} bytes)`, shoff + i * 64);
    }
    return {
      index: i,
      name: i === 0 ? "" : cString(shstrtab, s.nameOff),
      type: s.type,
      flags: s.flags,
      offset: s.offset,
      size: s.size,
      link: s.link,
      info: s.info,
      addralign: s.addralign,
      entsize: s.entsize,
      data: dataOf(s, i),
    };
  });

  let symtabIndex = -1;
  const symbols: ElfSymbol[] = [];
  const symtab = sections.find((s) => s.type === SHT.SYMTAB);
  if (symtab) {
    symtabIndex = symtab.index;
    const strtab = sections[symtab.link];
    if (!strtab || strtab.type !== SHT.STRTAB) {
      throw malformed(`symbol table's string table index ${symtab.link} is invalid`, shoff + symtab.index * 64 + 40, ERRNO.LIBBPF_FORMAT);
    }
    const sr = new ByteReader(symtab.data, order, symtab.offset);
    const count = Math.floor(symtab.size / 24);
    for (let i = 0; i < count; i++) {
      const o = i * 24;
      const nameOff = sr.u32(o, "st_name");
      if (nameOff >= strtab.data.length && nameOff !== 0) {
        throw malformed(`symbol ${i}: name offset ${nameOff} is outside the string table (${strtab.data.length} bytes)`, symtab.offset + o);
      }
      const info = sr.u8(o + 4, "st_info");
      symbols.push({
        index: i,
        name: nameOff < strtab.data.length ? cString(strtab.data, nameOff) : "",
        bind: info >> 4,
        type: info & 0xf,
        visibility: sr.u8(o + 5, "st_other") & 0x3,
        shndx: sr.u16(o + 6, "st_shndx"),
        value: sr.u64(o + 8, "st_value"),
        size: sr.u64(o + 16, "st_size"),
      });
    }
  }
  return makeFile(bytes, order, type, machine, sections, symbols, symtabIndex, r);
}

function makeFile(
  bytes: Uint8Array,
  order: ByteOrder,
  type: number,
  machine: number,
  sections: ElfSection[],
  symbols: ElfSymbol[],
  symtabIndex: number,
  r: ByteReader,
): ElfFile {
  const byName = new Map<string, ElfSection>();
  for (const s of sections) if (!byName.has(s.name)) byName.set(s.name, s);
  return {
    bytes,
    order,
    type,
    machine,
    sections,
    symbols,
    symtabIndex,
    sectionByName: (name) => byName.get(name),
    rels(section) {
      if (section.type !== SHT.REL) return [];
      const count = Math.floor(section.size / 16);
      const out: ElfRel[] = [];
      for (let i = 0; i < count; i++) {
        const o = section.offset + i * 16;
        const info = r.u64n(o + 8, "r_info");
        out.push({
          offset: r.u64(o, "r_offset"),
          symbol: Number(info >> 32n),
          type: Number(info & 0xffffffffn),
        });
      }
      return out;
    },
  };
}
