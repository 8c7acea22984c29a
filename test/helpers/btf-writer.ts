// Test-only writer: builds .BTF / .BTF.ext blobs of every kind (both byte orders) and minimal ELF64 BPF objects around them.

export type Order = "little" | "big";

/** A name given as text (interned in the string table) or as a raw string offset (for hostile inputs). */
export type NameRef = string | { readonly off: number };

export const KIND = {
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  VOLATILE: 9,
  CONST: 10,
  RESTRICT: 11,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  ENUM64: 19,
} as const;

export interface MemberSpec {
  readonly name: NameRef;
  readonly type: number;
  /** Bit offset from the start of the struct. */
  readonly bitOffset: number;
  /** Bitfield width (0 = not a bitfield). A non-zero width anywhere sets the struct's kind_flag. */
  readonly bitfieldSize?: number;
}

/** A type record before encoding: name, the `info` fields, the size/type word and the trailing u32 words. */
export interface RawType {
  readonly name: NameRef;
  readonly kind: number;
  readonly vlen: number;
  readonly kflag: boolean;
  readonly sizeOrType: number;
  /** Words after the 12-byte common header (members, params, values, ...), each written as a u32. */
  readonly extra: readonly number[];
}

/** Accumulates a string section: offset 0 is always "", identical strings share an offset. */
export class StringTable {
  private readonly chunks: Uint8Array[] = [new Uint8Array([0])];
  private readonly offsets = new Map<string, number>([["", 0]]);
  private size = 1;

  add(s: string): number {
    const known = this.offsets.get(s);
    if (known !== undefined) return known;
    const bytes = new TextEncoder().encode(s);
    const off = this.size;
    const chunk = new Uint8Array(bytes.length + 1);
    chunk.set(bytes);
    this.chunks.push(chunk);
    this.size += chunk.length;
    this.offsets.set(s, off);
    return off;
  }

  ref(name: NameRef): number {
    return typeof name === "string" ? this.add(name) : name.off;
  }

  get length(): number {
    return this.size;
  }

  bytes(): Uint8Array {
    return concat(this.chunks);
  }
}

/** Header overrides for hostile blobs; each field replaces the computed value. */
export interface BtfHeaderOverride {
  magic?: number;
  version?: number;
  flags?: number;
  hdrLen?: number;
  typeOff?: number;
  typeLen?: number;
  strOff?: number;
  strLen?: number;
}

/** Builds a BTF blob type by type. Every add* returns the new type id (ids start at 1, 0 is void). */
export class BtfBuilder {
  readonly strings = new StringTable();
  readonly types: RawType[] = [];

  get nextId(): number {
    return this.types.length + 1;
  }

  raw(t: RawType): number {
    this.types.push(t);
    return this.types.length;
  }

  int(name: NameRef, size: number, opts: { signed?: boolean; char?: boolean; bool?: boolean; bits?: number; offset?: number } = {}): number {
    const enc = (opts.signed ? 1 : 0) | (opts.char ? 2 : 0) | (opts.bool ? 4 : 0);
    const word = ((enc & 0x0f) << 24) | (((opts.offset ?? 0) & 0xff) << 16) | ((opts.bits ?? size * 8) & 0xff);
    return this.raw({ name, kind: KIND.INT, vlen: 0, kflag: false, sizeOrType: size, extra: [word >>> 0] });
  }

  private ref(kind: number, name: NameRef, type: number): number {
    return this.raw({ name, kind, vlen: 0, kflag: false, sizeOrType: type, extra: [] });
  }

  ptr(type: number): number {
    return this.ref(KIND.PTR, "", type);
  }
  const(type: number): number {
    return this.ref(KIND.CONST, "", type);
  }
  volatile(type: number): number {
    return this.ref(KIND.VOLATILE, "", type);
  }
  restrict(type: number): number {
    return this.ref(KIND.RESTRICT, "", type);
  }
  typedef(name: NameRef, type: number): number {
    return this.ref(KIND.TYPEDEF, name, type);
  }
  typeTag(name: NameRef, type: number): number {
    return this.ref(KIND.TYPE_TAG, name, type);
  }

  array(elem: number, index: number, nelems: number): number {
    return this.raw({ name: "", kind: KIND.ARRAY, vlen: 0, kflag: false, sizeOrType: 0, extra: [elem, index, nelems] });
  }

  private composite(kind: number, name: NameRef, size: number, members: readonly MemberSpec[]): number {
    const kflag = members.some((m) => (m.bitfieldSize ?? 0) !== 0);
    const extra: number[] = [];
    for (const m of members) {
      const off = kflag ? (((m.bitfieldSize ?? 0) << 24) | (m.bitOffset & 0xffffff)) >>> 0 : m.bitOffset;
      extra.push(this.strings.ref(m.name), m.type, off);
    }
    return this.raw({ name, kind, vlen: members.length, kflag, sizeOrType: size, extra });
  }

  struct(name: NameRef, size: number, members: readonly MemberSpec[]): number {
    return this.composite(KIND.STRUCT, name, size, members);
  }
  union(name: NameRef, size: number, members: readonly MemberSpec[]): number {
    return this.composite(KIND.UNION, name, size, members);
  }

  enum(name: NameRef, size: number, values: readonly (readonly [NameRef, number])[], signed = false): number {
    const extra: number[] = [];
    for (const [n, v] of values) extra.push(this.strings.ref(n), v >>> 0);
    return this.raw({ name, kind: KIND.ENUM, vlen: values.length, kflag: signed, sizeOrType: size, extra });
  }

  enum64(name: NameRef, size: number, values: readonly (readonly [NameRef, bigint])[], signed = false): number {
    const extra: number[] = [];
    for (const [n, v] of values) {
      const u = BigInt.asUintN(64, v);
      extra.push(this.strings.ref(n), Number(u & 0xffffffffn), Number(u >> 32n));
    }
    return this.raw({ name, kind: KIND.ENUM64, vlen: values.length, kflag: signed, sizeOrType: size, extra });
  }

  fwd(name: NameRef, union = false): number {
    return this.raw({ name, kind: KIND.FWD, vlen: 0, kflag: union, sizeOrType: 0, extra: [] });
  }

  funcProto(ret: number, params: readonly (readonly [NameRef, number])[]): number {
    const extra: number[] = [];
    for (const [n, t] of params) extra.push(this.strings.ref(n), t);
    return this.raw({ name: "", kind: KIND.FUNC_PROTO, vlen: params.length, kflag: false, sizeOrType: ret, extra });
  }

  /** linkage: 0 static, 1 global, 2 extern (stored in vlen). */
  func(name: NameRef, proto: number, linkage = 1): number {
    return this.raw({ name, kind: KIND.FUNC, vlen: linkage, kflag: false, sizeOrType: proto, extra: [] });
  }

  /** linkage: 0 static, 1 global, 2 extern. */
  variable(name: NameRef, type: number, linkage = 1): number {
    return this.raw({ name, kind: KIND.VAR, vlen: 0, kflag: false, sizeOrType: type, extra: [linkage] });
  }

  datasec(name: NameRef, size: number, vars: readonly { type: number; offset: number; size: number }[]): number {
    const extra: number[] = [];
    for (const v of vars) extra.push(v.type, v.offset, v.size);
    return this.raw({ name, kind: KIND.DATASEC, vlen: vars.length, kflag: false, sizeOrType: size, extra });
  }

  float(name: NameRef, size: number): number {
    return this.raw({ name, kind: KIND.FLOAT, vlen: 0, kflag: false, sizeOrType: size, extra: [] });
  }

  declTag(name: NameRef, type: number, componentIdx = -1): number {
    return this.raw({ name, kind: KIND.DECL_TAG, vlen: 0, kflag: false, sizeOrType: type, extra: [componentIdx >>> 0] });
  }

  /** The type section alone (records in order). */
  typeSection(order: Order): Uint8Array {
    const words: number[] = [];
    for (const t of this.types) {
      const info = ((t.kflag ? 1 : 0) << 31) | ((t.kind & 0x1f) << 24) | (t.vlen & 0xffff);
      words.push(this.strings.ref(t.name), info >>> 0, t.sizeOrType >>> 0);
      for (const w of t.extra) words.push(w); // no spread: a 65535-member struct has 196605 words
    }
    return u32s(words, order);
  }

  /** The whole blob: 24-byte header, type section, string section (optionally with hostile header fields). */
  encode(order: Order = "little", override: BtfHeaderOverride = {}): Uint8Array {
    const typeSec = this.typeSection(order); // interns every name first
    const strSec = this.strings.bytes();
    const hdrLen = 24;
    const out = new Uint8Array(hdrLen + typeSec.length + strSec.length);
    const dv = new DataView(out.buffer);
    const le = order === "little";
    dv.setUint16(0, override.magic ?? 0xeb9f, le);
    dv.setUint8(2, override.version ?? 1);
    dv.setUint8(3, override.flags ?? 0);
    dv.setUint32(4, override.hdrLen ?? hdrLen, le);
    dv.setUint32(8, override.typeOff ?? 0, le);
    dv.setUint32(12, override.typeLen ?? typeSec.length, le);
    dv.setUint32(16, override.strOff ?? typeSec.length, le);
    dv.setUint32(20, override.strLen ?? strSec.length, le);
    out.set(typeSec, hdrLen);
    out.set(strSec, hdrLen + typeSec.length);
    return out;
  }
}

/** One .BTF.ext info block: records grouped per ELF section name. */
export interface ExtSection<R> {
  readonly section: string;
  readonly records: readonly R[];
}
export interface FuncInfo {
  readonly insnOff: number;
  readonly typeId: number;
}
export interface LineInfo {
  readonly insnOff: number;
  readonly file: string;
  readonly line: string;
  readonly lineNum: number;
  readonly col: number;
}
export interface CoreRelo {
  readonly insnOff: number;
  readonly typeId: number;
  readonly access: string;
  readonly kind: number;
}

/**
 * Encodes a .BTF.ext blob (32-byte header with CO-RE relocations). Strings (section names, file and line text,
 * access strings) are interned into `strings`, which must be the BTF's own table: call this BEFORE encoding the BTF.
 */
export function encodeBtfExt(
  strings: StringTable,
  parts: { funcInfo?: readonly ExtSection<FuncInfo>[]; lineInfo?: readonly ExtSection<LineInfo>[]; coreRelo?: readonly ExtSection<CoreRelo>[] },
  order: Order = "little",
): Uint8Array {
  const block = <R>(secs: readonly ExtSection<R>[] | undefined, recSize: number, rec: (r: R) => number[]): number[] => {
    if (!secs || secs.length === 0) return [];
    const words = [recSize];
    for (const s of secs) {
      words.push(strings.add(s.section), s.records.length);
      for (const r of s.records) words.push(...rec(r));
    }
    return words;
  };
  const fi = block(parts.funcInfo, 8, (r) => [r.insnOff, r.typeId]);
  const li = block(parts.lineInfo, 16, (r) => [r.insnOff, strings.add(r.file), strings.add(r.line), ((r.lineNum << 10) | (r.col & 0x3ff)) >>> 0]);
  const cr = block(parts.coreRelo, 16, (r) => [r.insnOff, r.typeId, strings.add(r.access), r.kind]);
  const hdrLen = 32;
  const header = new Uint8Array(hdrLen);
  const dv = new DataView(header.buffer);
  const le = order === "little";
  dv.setUint16(0, 0xeb9f, le);
  dv.setUint8(2, 1);
  dv.setUint8(3, 0);
  dv.setUint32(4, hdrLen, le);
  dv.setUint32(8, 0, le);
  dv.setUint32(12, fi.length * 4, le);
  dv.setUint32(16, fi.length * 4, le);
  dv.setUint32(20, li.length * 4, le);
  dv.setUint32(24, (fi.length + li.length) * 4, le);
  dv.setUint32(28, cr.length * 4, le);
  return concat([header, u32s([...fi, ...li, ...cr], order)]);
}

// ---------------------------------------------------------------------------------------------------------------
// ELF64

export const SHT = { NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, RELA: 4, NOBITS: 8, REL: 9 } as const;
export const SHF = { WRITE: 0x1, ALLOC: 0x2, EXECINSTR: 0x4 } as const;
export const STT = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4 } as const;
export const STB = { LOCAL: 0, GLOBAL: 1, WEAK: 2 } as const;

export interface SectionSpec {
  readonly name: string;
  readonly type: number;
  readonly flags?: number;
  /** Contents; for NOBITS only `size` matters. */
  readonly data?: Uint8Array;
  /** Overrides sh_size (defaults to data length). */
  readonly size?: number;
  /** Section index or name (resolved after layout). */
  readonly link?: number | string;
  readonly info?: number | string;
  readonly addralign?: number;
  readonly entsize?: number;
  /** Overrides sh_offset (for overlapping or out-of-file sections). */
  readonly offset?: number;
}

export interface SymbolSpec {
  readonly name: string;
  /** Section name, or a raw st_shndx (0 undef, 0xfff1 abs, anything for hostile inputs). */
  readonly section: string | number;
  readonly value?: number;
  readonly size?: number;
  readonly bind?: number;
  readonly type?: number;
  /** STV_*: 0 default, 2 hidden. */
  readonly visibility?: number;
}

export interface RelSpec {
  /** Offset inside the target section. */
  readonly offset: number;
  /** Symbol name (must be in `symbols`) or raw symbol index. */
  readonly symbol: string | number;
  /** R_BPF_64_64 = 1, R_BPF_64_ABS64 = 2, R_BPF_64_ABS32 = 3, R_BPF_64_32 = 10. */
  readonly type?: number;
}

export interface ElfSpec {
  readonly order?: Order;
  readonly machine?: number;
  readonly elfType?: number;
  readonly sections: readonly SectionSpec[];
  readonly symbols?: readonly SymbolSpec[];
  /** REL sections to emit: `.rel<target>` for each target section name. */
  readonly rels?: Readonly<Record<string, readonly RelSpec[]>>;
}

/**
 * Lays out an ELF64 relocatable file: header, section data (8-aligned), then the section header table.
 * A null section, .symtab, .strtab, the .rel* sections and .shstrtab are added automatically.
 */
export function buildElf(spec: ElfSpec): Uint8Array {
  const order = spec.order ?? "little";
  const le = order === "little";
  const secs: SectionSpec[] = [{ name: "", type: SHT.NULL }, ...spec.sections];
  const symbols = spec.symbols ?? [];
  const hasSymtab = symbols.length > 0 || Object.keys(spec.rels ?? {}).length > 0;
  const indexOf = (name: string | number): number => {
    if (typeof name === "number") return name;
    const i = secs.findIndex((s) => s.name === name);
    if (i < 0) throw new Error(`btf-writer: no section ${name}`);
    return i;
  };

  if (hasSymtab) {
    const strtab = new StringTable();
    const symWords: Uint8Array[] = [new Uint8Array(24)];
    // Locals first, as ELF requires; sh_info = index of the first non-local.
    const sorted = [...symbols].sort((a, b) => Number((a.bind ?? STB.GLOBAL) !== STB.LOCAL) - Number((b.bind ?? STB.GLOBAL) !== STB.LOCAL));
    const symIndex = new Map<string, number>();
    const symtabIdx = secs.length;
    const strtabIdx = symtabIdx + 1;
    const pending: (() => void)[] = [];
    sorted.forEach((s, i) => {
      symIndex.set(s.name, i + 1);
      const rec = new Uint8Array(24);
      const dv = new DataView(rec.buffer);
      dv.setUint32(0, strtab.add(s.name), le);
      dv.setUint8(4, (((s.bind ?? STB.GLOBAL) & 0xf) << 4) | ((s.type ?? STT.OBJECT) & 0xf));
      dv.setUint8(5, (s.visibility ?? 0) & 0x3);
      pending.push(() => dv.setUint16(6, indexOf(s.section), le));
      dv.setBigUint64(8, BigInt(s.value ?? 0), le);
      dv.setBigUint64(16, BigInt(s.size ?? 0), le);
      symWords.push(rec);
    });
    const firstGlobal = 1 + sorted.filter((s) => (s.bind ?? STB.GLOBAL) === STB.LOCAL).length;
    secs.push({ name: ".symtab", type: SHT.SYMTAB, link: strtabIdx, info: firstGlobal, addralign: 8, entsize: 24, data: new Uint8Array(0) });
    const symtabSlot = secs.length - 1;
    secs.push({ name: ".strtab", type: SHT.STRTAB, data: new Uint8Array(0) });
    for (const [target, rels] of Object.entries(spec.rels ?? {})) {
      const data = new Uint8Array(rels.length * 16);
      const dv = new DataView(data.buffer);
      rels.forEach((r, i) => {
        const sym = typeof r.symbol === "number" ? r.symbol : symIndex.get(r.symbol);
        if (sym === undefined) throw new Error(`btf-writer: relocation against unknown symbol ${r.symbol}`);
        dv.setBigUint64(i * 16, BigInt(r.offset), le);
        dv.setBigUint64(i * 16 + 8, (BigInt(sym) << 32n) | BigInt(r.type ?? 1), le);
      });
      secs.push({ name: `.rel${target}`, type: SHT.REL, link: symtabIdx, info: target, addralign: 8, entsize: 16, data });
    }
    // Symbols may reference any section, including ones added above: resolve now.
    for (const p of pending) p();
    secs[symtabSlot] = { ...(secs[symtabSlot] as SectionSpec), data: concat(symWords) };
    secs[strtabIdx] = { ...(secs[strtabIdx] as SectionSpec), data: strtab.bytes() };
  }

  const shstr = new StringTable();
  const shstrIdx = secs.length;
  secs.push({ name: ".shstrtab", type: SHT.STRTAB, data: new Uint8Array(0) });
  const nameOffs = secs.map((s) => shstr.add(s.name));
  secs[shstrIdx] = { ...(secs[shstrIdx] as SectionSpec), data: shstr.bytes() };

  // Layout: 64-byte ELF header, then each section's data aligned to 8, then the header table.
  const offsets: number[] = [];
  let pos = 64;
  for (const s of secs) {
    pos = align(pos, 8);
    offsets.push(pos);
    if (s.type !== SHT.NOBITS && s.type !== SHT.NULL) pos += s.data?.length ?? 0;
  }
  const shoff = align(pos, 8);
  const out = new Uint8Array(shoff + secs.length * 64);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, le ? 1 : 2, 1, 0]);
  dv.setUint16(16, spec.elfType ?? 1, le);
  dv.setUint16(18, spec.machine ?? 247, le);
  dv.setUint32(20, 1, le);
  dv.setBigUint64(40, BigInt(shoff), le);
  dv.setUint16(52, 64, le);
  dv.setUint16(58, 64, le);
  dv.setUint16(60, secs.length, le);
  dv.setUint16(62, shstrIdx, le);
  secs.forEach((s, i) => {
    const data = s.data ?? new Uint8Array(0);
    const off = offsets[i] ?? 0;
    if (s.type !== SHT.NOBITS && s.type !== SHT.NULL) out.set(data, off);
    const h = shoff + i * 64;
    dv.setUint32(h, nameOffs[i] ?? 0, le);
    dv.setUint32(h + 4, s.type, le);
    dv.setBigUint64(h + 8, BigInt(s.flags ?? 0), le);
    dv.setBigUint64(h + 24, BigInt(i === 0 ? 0 : (s.offset ?? off)), le);
    dv.setBigUint64(h + 32, BigInt(s.size ?? data.length), le);
    dv.setUint32(h + 40, s.link === undefined ? 0 : indexOf(s.link), le);
    dv.setUint32(h + 44, s.info === undefined ? 0 : indexOf(s.info), le);
    dv.setBigUint64(h + 48, BigInt(s.addralign ?? (i === 0 ? 0 : 1)), le);
    dv.setBigUint64(h + 56, BigInt(s.entsize ?? 0), le);
  });
  return out;
}

/** Sections of a typical clang-built BPF object, all optional except .BTF. */
export interface BpfObjectSpec {
  readonly order?: Order;
  readonly btf: Uint8Array;
  readonly btfExt?: Uint8Array;
  /** Program sections by name (e.g. "tracepoint/syscalls/sys_enter_execve"), contents = instructions. */
  readonly programs?: Readonly<Record<string, Uint8Array>>;
  readonly text?: Uint8Array;
  readonly maps?: Uint8Array;
  readonly data?: Uint8Array;
  readonly rodata?: Uint8Array;
  /** Size of .bss (NOBITS). */
  readonly bss?: number;
  /** Extra data sections such as ".data.custom" or ".rodata.str1.1". */
  readonly extraSections?: readonly SectionSpec[];
  readonly license?: string;
  readonly symbols?: readonly SymbolSpec[];
  readonly rels?: Readonly<Record<string, readonly RelSpec[]>>;
}

/** A minimal ELF64 BPF object: .text, programs, license, .maps, .data, .rodata, .bss, .BTF, .BTF.ext and a symtab. */
export function buildBpfObject(spec: BpfObjectSpec): Uint8Array {
  const sections: SectionSpec[] = [];
  const ax = SHF.ALLOC | SHF.EXECINSTR;
  const wa = SHF.WRITE | SHF.ALLOC;
  if (spec.text) sections.push({ name: ".text", type: SHT.PROGBITS, flags: ax, data: spec.text, addralign: 8 });
  for (const [name, insns] of Object.entries(spec.programs ?? {})) {
    sections.push({ name, type: SHT.PROGBITS, flags: ax, data: insns, addralign: 8 });
  }
  if (spec.license !== undefined) {
    sections.push({ name: "license", type: SHT.PROGBITS, flags: wa, data: new TextEncoder().encode(`${spec.license}\0`), addralign: 1 });
  }
  if (spec.maps) sections.push({ name: ".maps", type: SHT.PROGBITS, flags: wa, data: spec.maps, addralign: 8 });
  if (spec.data) sections.push({ name: ".data", type: SHT.PROGBITS, flags: wa, data: spec.data, addralign: 8 });
  if (spec.rodata) sections.push({ name: ".rodata", type: SHT.PROGBITS, flags: SHF.ALLOC, data: spec.rodata, addralign: 8 });
  if (spec.bss !== undefined) sections.push({ name: ".bss", type: SHT.NOBITS, flags: wa, size: spec.bss, addralign: 8 });
  sections.push(...(spec.extraSections ?? []));
  sections.push({ name: ".BTF", type: SHT.PROGBITS, data: spec.btf, addralign: 4 });
  if (spec.btfExt) sections.push({ name: ".BTF.ext", type: SHT.PROGBITS, data: spec.btfExt, addralign: 4 });
  const elf: ElfSpec = {
    order: spec.order ?? "little",
    sections,
    ...(spec.symbols ? { symbols: spec.symbols } : {}),
    ...(spec.rels ? { rels: spec.rels } : {}),
  };
  return buildElf(elf);
}

/** One BPF instruction (8 bytes): opcode, dst/src registers, offset, immediate. */
export function insn(code: number, dst: number, src: number, off: number, imm: number, order: Order = "little"): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  b[0] = code;
  b[1] = order === "little" ? ((src & 0xf) << 4) | (dst & 0xf) : ((dst & 0xf) << 4) | (src & 0xf);
  dv.setInt16(2, off, order === "little");
  dv.setInt32(4, imm, order === "little");
  return b;
}

/** `r0 = 0; exit` — the smallest valid program. */
export function returnZero(order: Order = "little"): Uint8Array {
  return concat([insn(0xb7, 0, 0, 0, 0, order), insn(0x95, 0, 0, 0, 0, order)]);
}

export function u32s(words: readonly number[], order: Order): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const dv = new DataView(out.buffer);
  words.forEach((w, i) => {
    dv.setUint32(i * 4, w >>> 0, order === "little");
  });
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
