// Locates the structural fields of a valid seed (ELF headers, symbols, relocations, BTF and BTF.ext records) for mutation.

import { parseBtf } from "../../server/src/core/btf/parse.js";
import { isElf, parseElf, SHT } from "../../server/src/core/elf/elf.js";

export type FieldRole =
  | "elf-header"
  | "shdr"
  | "shdr-offset"
  | "shdr-size"
  | "shdr-link"
  | "sym-shndx"
  | "sym-field"
  | "rel-info"
  | "rel-offset"
  | "btf-header"
  | "btf-name"
  | "btf-info"
  | "btf-size-type"
  | "btf-ref"
  | "btf-extra"
  | "ext-header"
  | "ext-field";

/** A numeric field at a file offset. */
export interface Field {
  readonly off: number;
  readonly size: 1 | 2 | 4 | 8;
  readonly role: FieldRole;
}

/** A BTF type record: where it is, its id and whether its size/type word is a type id. */
export interface TypeRecord {
  readonly off: number;
  readonly id: number;
  readonly kind: number;
  readonly refersToType: boolean;
}

export interface SeedMap {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly little: boolean;
  readonly fields: readonly Field[];
  readonly types: readonly TypeRecord[];
  /** Section header offset and data range, for overlap mutations. */
  readonly sections: readonly { hdr: number; offset: number; size: number }[];
  /** Offset of the .BTF blob in the file and its string-section length. */
  readonly btfBase: number;
  readonly strLen: number;
}

const REF_KINDS = new Set([2, 8, 9, 10, 11, 12, 14, 17, 18]);

/** Maps a valid seed. Throws if the seed itself does not parse (seeds must be valid). */
export function mapSeed(name: string, bytes: Uint8Array): SeedMap {
  const fields: Field[] = [];
  const sections: { hdr: number; offset: number; size: number }[] = [];
  let btfBase = 0;
  let btfBlob = bytes;
  let little = bytes[0] === 0x9f;
  if (isElf(bytes)) {
    const elf = parseElf(bytes);
    little = elf.order === "little";
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const shoff = Number(dv.getBigUint64(40, little));
    for (const [off, size] of [[16, 2], [18, 2], [24, 8], [32, 8], [40, 8], [52, 2], [58, 2], [60, 2], [62, 2]] as const) {
      fields.push({ off, size, role: "elf-header" });
    }
    for (const s of elf.sections) {
      const h = shoff + s.index * 64;
      sections.push({ hdr: h, offset: s.offset, size: s.size });
      fields.push({ off: h, size: 4, role: "shdr" }, { off: h + 4, size: 4, role: "shdr" }, { off: h + 8, size: 8, role: "shdr" });
      fields.push({ off: h + 24, size: 8, role: "shdr-offset" }, { off: h + 32, size: 8, role: "shdr-size" });
      fields.push({ off: h + 40, size: 4, role: "shdr-link" }, { off: h + 44, size: 4, role: "shdr-link" });
      fields.push({ off: h + 48, size: 8, role: "shdr" }, { off: h + 56, size: 8, role: "shdr" });
      if (s.type === SHT.SYMTAB) {
        for (let o = s.offset; o + 24 <= s.offset + s.size; o += 24) {
          fields.push({ off: o, size: 4, role: "sym-field" }, { off: o + 4, size: 1, role: "sym-field" });
          fields.push({ off: o + 6, size: 2, role: "sym-shndx" }, { off: o + 8, size: 8, role: "sym-field" }, { off: o + 16, size: 8, role: "sym-field" });
        }
      }
      if (s.type === SHT.REL) {
        for (let o = s.offset; o + 16 <= s.offset + s.size; o += 16) {
          fields.push({ off: o, size: 8, role: "rel-offset" }, { off: o + 8, size: 4, role: "rel-info" }, { off: o + 12, size: 4, role: "rel-info" });
        }
      }
    }
    const ext = elf.sectionByName(".BTF.ext");
    if (ext) {
      for (let o = 4; o < 32 && o + 4 <= ext.size; o += 4) fields.push({ off: ext.offset + o, size: 4, role: "ext-header" });
      for (let o = 32; o + 4 <= ext.size; o += 4) fields.push({ off: ext.offset + o, size: 4, role: "ext-field" });
    }
    const sec = elf.sectionByName(".BTF");
    if (!sec) return { name, bytes, little, fields, types: [], sections, btfBase: 0, strLen: 0 };
    btfBase = sec.offset;
    btfBlob = sec.data;
  }
  const btf = parseBtf(btfBlob);
  for (let o = 4; o < 24; o += 4) fields.push({ off: btfBase + o, size: 4, role: "btf-header" });
  const typeStart = btfBase + btf.header.hdrLen + btf.header.typeOff;
  const types: TypeRecord[] = [];
  for (let id = 1; id < btf.count; id++) {
    const at = typeStart + (btf.typeOffsets[id] ?? 0);
    const t = btf.types[id];
    if (!t) continue;
    const kind = (new DataView(bytes.buffer, bytes.byteOffset).getUint32(at + 4, little) >>> 24) & 0x1f;
    types.push({ off: at, id, kind, refersToType: REF_KINDS.has(kind) });
    fields.push({ off: at, size: 4, role: "btf-name" }, { off: at + 4, size: 4, role: "btf-info" });
    fields.push({ off: at + 8, size: 4, role: REF_KINDS.has(kind) ? "btf-ref" : "btf-size-type" });
    const next = id + 1 < btf.count ? typeStart + (btf.typeOffsets[id + 1] ?? 0) : typeStart + btf.header.typeLen;
    for (let o = at + 12; o + 4 <= next; o += 4) fields.push({ off: o, size: 4, role: "btf-extra" });
  }
  return { name, bytes, little, fields, types, sections, btfBase, strLen: btf.header.strLen };
}
