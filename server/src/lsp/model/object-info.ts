// What the language server knows about one object file: programs, maps, data-section variables, source locations.
// Built from the core ELF/BTF/BTF.ext readers; never throws (a broken object gives `error`).

import { loadBtfExt } from "../../core/btf/load.js";
import type { BtfExt } from "../../core/btf/ext.js";
import { type Btf, isRawBtf, parseBtf } from "../../core/btf/parse.js";
import type { BtfDatasec, BtfType } from "../../core/btf/types.js";
import { EM_BPF, type ElfFile, type ElfSymbol, SHF, STT, STV, isElf, parseElf } from "../../core/elf/elf.js";
import type { Profile } from "../../core/profile.js";
import { alignOf, resolve, sizeOf, typeAt } from "./ctype.js";
import { openObject, objectNameFromPath } from "../../core/object/index.js";
import type { BpfMap, BpfObject } from "../../core/object/types.js";
import { NameIndex } from "./names.js";
import { mapTypeName, progKindOf } from "./sections.js";

/** A source position as BTF.ext records it: file name as compiled, 1-based line, column (0 = unknown). */
export interface SrcLoc {
  file: string;
  line: number;
  column: number;
}

export interface ProgInfo {
  name: string;
  /** Section without a leading "?". */
  section: string;
  progType: string;
  attachType: string | undefined;
  sleepable: boolean;
  autoload: boolean;
  insnCount: number;
  global: boolean;
  /** BTF FUNC id from func_info, or 0. */
  funcId: number;
  loc: SrcLoc | undefined;
}

export interface MapInfo {
  name: string;
  type: number;
  typeName: string;
  keyTypeId: number;
  valueTypeId: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  pinning: number;
  mapExtra: bigint;
  /** Inner map type id (struct of the inner definition) for map-in-map, or 0. */
  innerTypeId: number;
  /** Inner map summary from the object model ("hash, key 4 B, value 8 B, max_entries 16"). */
  innerDesc: string | undefined;
  varId: number;
  /** ELF section of the map's variable: ".maps", or the struct_ops section. */
  section: string;
}

export type Linkage = "static" | "global" | "extern" | "hidden";

export interface VarInfo {
  name: string;
  section: string;
  varId: number;
  typeId: number;
  offset: number;
  size: number;
  align: number;
  linkage: Linkage;
  exposed: boolean;
  /** Why the skeleton leaves it out (when !exposed). */
  reason: string | undefined;
  skelAccessor: string | undefined;
}

export interface DatasecInfo {
  name: string;
  id: number;
  size: number;
  /** Skeleton identifier of the section's map (`rodata`, `data_tunables`), when it is a skeleton map. */
  ident: string | undefined;
  /** Why the section is not a skeleton map (profile), when ident is undefined but it looks like data. */
  reason: string | undefined;
  vars: VarInfo[];
}

export interface ObjectInfo {
  path: string;
  format: "elf" | "raw-btf";
  /** bpftool's object name: file name without ".o", non-identifier characters replaced by "_". */
  name: string;
  hasBtf: boolean;
  /** False for ELF files of another machine (a user-space .o next to the BPF one); raw BTF counts as BPF. */
  isBpf: boolean;
  error: string | undefined;
  btf: Btf | undefined;
  /** Name lookups on the raw records (no full decode of a vmlinux-sized BTF). */
  names: NameIndex | undefined;
  elf: ElfFile | undefined;
  ext: BtfExt | undefined;
  programs: ProgInfo[];
  maps: MapInfo[];
  datasecs: DatasecInfo[];
  /** libbpf's object model, when the object opens like libbpf would open it. */
  model: BpfObject | undefined;
  /** Why libbpf (this profile) would refuse to open the object, when it would. */
  openError: string | undefined;
  /** File names that BTF.ext line_info mentions. */
  lineInfoFiles: string[];
  profile: Profile;
}

/** bpftool's get_obj_name(). */
export function objectNameOf(path: string): string {
  return objectNameFromPath(path);
}

export function isCIdentifier(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
}

const DATASEC_PREFIXES = [".data", ".rodata", ".bss", ".kconfig"];

/** bpftool's get_datasec_ident(), with the profile deciding whether `.bss.*` sections are maps. */
export function datasecIdent(sec: string, profile: Profile): { ident?: string; reason?: string } {
  if (sec === ".addr_space.1" && profile.name === "7.7") return { ident: "arena" };
  if (!DATASEC_PREFIXES.some((p) => sec.startsWith(p))) return {};
  if (sec.startsWith(".bss.") && !profile.customBssSections) {
    return { reason: `bpftool ${profile.bpftoolVersion} (libbpf ${profile.libbpfVersion}) does not turn custom .bss.* sections into maps` };
  }
  return { ident: sec.slice(1).replace(/[^A-Za-z0-9_]/g, "_") };
}

export function emptyInfo(path: string, profile: Profile, error: string | undefined): ObjectInfo {
  return {
    path,
    format: "elf",
    name: objectNameOf(path),
    hasBtf: false,
    isBpf: true,
    error,
    btf: undefined,
    names: undefined,
    elf: undefined,
    ext: undefined,
    programs: [],
    maps: [],
    datasecs: [],
    lineInfoFiles: [],
    model: undefined,
    openError: undefined,
    profile,
  };
}

/** The type section of a .BTF blob (what Btf.typeOffsets index). */
function typeSection(blob: Uint8Array, btf: Btf): Uint8Array {
  const start = btf.header.hdrLen + btf.header.typeOff;
  return blob.subarray(start, start + btf.header.typeLen);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Parses `bytes`; any parser error ends up in `error`. */
export function buildObjectInfo(path: string, bytes: Uint8Array, profile: Profile): ObjectInfo {
  const info = emptyInfo(path, profile, undefined);
  try {
    if (isRawBtf(bytes)) {
      info.format = "raw-btf";
      info.name = path.slice(path.lastIndexOf("/") + 1);
      info.btf = parseBtf(bytes);
      info.names = new NameIndex(info.btf, typeSection(bytes, info.btf));
      info.hasBtf = true;
      return info;
    }
    if (!isElf(bytes)) {
      info.error = "not an ELF object or raw BTF file (unknown magic)";
      return info;
    }
    const elf = parseElf(bytes);
    info.elf = elf;
    if (elf.machine !== EM_BPF && elf.machine !== 0) {
      info.isBpf = false;
      info.error = `not a BPF object (ELF machine ${elf.machine})`;
      return info;
    }
    const btfSec = elf.sectionByName(".BTF");
    if (btfSec) {
      info.btf = parseBtf(btfSec.data, btfSec.offset);
      info.names = new NameIndex(info.btf, typeSection(btfSec.data, info.btf));
      info.hasBtf = true;
      try {
        info.ext = loadBtfExt({ btf: info.btf, elf });
      } catch (e) {
        info.error = `.BTF.ext: ${message(e)}`;
      }
    }
    info.programs = programsOf(elf, info.ext, profile);
    if (info.btf) {
      info.maps = mapsOf(info.btf);
      info.datasecs = datasecsOf(info.btf, elf, profile);
      const files = new Set<string>();
      for (const s of info.ext?.lineInfo ?? []) for (const r of s.records) files.add(r.fileName);
      info.lineInfoFiles = [...files];
      try {
        const model = openObject(bytes, { profile, name: info.name });
        info.model = model;
        applyModel(info, model);
      } catch (e) {
        info.openError = message(e);
      }
      for (const p of info.programs) {
        if (p.funcId === 0) {
          const ids = info.btf.idsByName(p.name).filter((id) => (info.btf ? typeAt(info.btf, id)?.kind : undefined) === "func");
          p.funcId = ids[0] ?? 0;
        }
      }
    }
  } catch (e) {
    info.error = message(e);
  }
  return info;
}

function programsOf(elf: ElfFile, ext: BtfExt | undefined, profile: Profile): ProgInfo[] {
  const out: ProgInfo[] = [];
  for (const sym of elf.symbols) {
    if (sym.type !== STT.FUNC || sym.size === 0) continue;
    const sec = elf.sections[sym.shndx];
    if (!sec || !(sec.flags & SHF.EXECINSTR) || sec.name === ".text") continue;
    const autoload = !sec.name.startsWith("?");
    const section = autoload ? sec.name : sec.name.slice(1);
    const kind = progKindOf(section, profile);
    const fi = ext?.funcInfo.find((s) => s.section === sec.name)?.records.find((r) => r.insnOff === sym.value);
    const li = ext?.lineInfo.find((s) => s.section === sec.name)?.records.find((r) => r.insnOff === sym.value);
    out.push({
      name: sym.name,
      section,
      progType: kind.progType,
      attachType: kind.attachType,
      sleepable: kind.sleepable,
      autoload,
      insnCount: Math.floor(sym.size / 8),
      global: sym.bind !== 0,
      funcId: fi?.typeId ?? 0,
      loc: li ? { file: li.fileName, line: li.lineNum, column: li.column } : undefined,
    });
  }
  return out;
}

/** The value of a `__uint(name, N)` member: a pointer to an array of N elements. */
function uintMember(btf: Btf, type: number): number | undefined {
  const p = resolve(btf, type);
  if (p?.kind !== "ptr") return undefined;
  const a = resolve(btf, p.type);
  return a?.kind === "array" ? a.nelems : undefined;
}

/** DATASEC types (kind 15), found through the kind index without decoding other types. */
function datasecs(btf: Btf): BtfDatasec[] {
  const out: BtfDatasec[] = [];
  for (let id = 1; id < btf.count; id++) {
    if (btf.kinds[id] !== 15) continue;
    const t = btf.type(id);
    if (t.kind === "datasec") out.push(t);
  }
  return out;
}

function mapsOf(btf: Btf): MapInfo[] {
  const out: MapInfo[] = [];
  const sec = datasecs(btf).find((t) => t.name === ".maps");
  if (sec?.kind !== "datasec") return out;
  for (const v of sec.vars) {
    const varT = typeAt(btf, v.type);
    if (varT?.kind !== "var") continue;
    const def = resolve(btf, varT.type);
    if (def?.kind !== "struct") continue;
    const m: MapInfo = {
      name: varT.name,
      type: 0,
      typeName: "unspec",
      keyTypeId: 0,
      valueTypeId: 0,
      keySize: 0,
      valueSize: 0,
      maxEntries: 0,
      flags: 0,
      pinning: 0,
      mapExtra: 0n,
      innerTypeId: 0,
      innerDesc: undefined,
      varId: v.type,
      section: ".maps",
    };
    for (const mem of def.members) {
      const n = uintMember(btf, mem.type);
      switch (mem.name) {
        case "type":
          m.type = n ?? 0;
          m.typeName = mapTypeName(m.type);
          break;
        case "max_entries":
          m.maxEntries = n ?? 0;
          break;
        case "map_flags":
          m.flags = n ?? 0;
          break;
        case "pinning":
          m.pinning = n ?? 0;
          break;
        case "map_extra":
          m.mapExtra = BigInt(n ?? 0);
          break;
        case "key_size":
          m.keySize = n ?? 0;
          break;
        case "value_size":
          m.valueSize = n ?? 0;
          break;
        case "key":
        case "value": {
          const p = resolve(btf, mem.type);
          if (p?.kind !== "ptr") break;
          const size = sizeOf(btf, p.type) ?? 0;
          if (mem.name === "key") {
            m.keyTypeId = p.type;
            m.keySize = size;
          } else {
            m.valueTypeId = p.type;
            m.valueSize = size;
          }
          break;
        }
        case "values": {
          // __array(values, struct inner_def): an array of pointers to the inner map's definition.
          const a = resolve(btf, mem.type);
          const p = a?.kind === "array" ? resolve(btf, a.type) : undefined;
          if (p?.kind === "ptr") m.innerTypeId = p.type;
          break;
        }
      }
    }
    out.push(m);
  }
  return out;
}

function symbolFor(elf: ElfFile, section: string, name: string): ElfSymbol | undefined {
  const sec = elf.sectionByName(section);
  return elf.symbols.find((s) => s.name === name && s.type === STT.OBJECT && (!sec || s.shndx === sec.index));
}

function datasecsOf(btf: Btf, elf: ElfFile | undefined, profile: Profile): DatasecInfo[] {
  const out: DatasecInfo[] = [];
  for (const t of datasecs(btf)) {
    if (t.name === ".maps") continue;
    const { ident, reason } = datasecIdent(t.name, profile);
    const vars: VarInfo[] = [];
    for (const v of t.vars) {
      const varT: BtfType | undefined = typeAt(btf, v.type);
      if (varT?.kind !== "var" && varT?.kind !== "func") continue;
      const typeId = varT.kind === "var" ? varT.type : varT.id;
      const sym = elf ? symbolFor(elf, t.name, varT.name) : undefined;
      let linkage: Linkage = varT.kind === "var" ? (varT.linkage === 0 ? "static" : varT.linkage === 2 ? "extern" : "global") : "extern";
      if (linkage === "global" && sym?.visibility === STV.HIDDEN) linkage = "hidden";
      let why: string | undefined;
      if (!ident) why = reason ?? `section ${t.name} is not a data section the skeleton maps`;
      else if (linkage === "static") why = "static variables are not exposed by the skeleton";
      else if (linkage === "hidden" && profile.hiddenIsStatic) {
        why = `hidden visibility (__hidden): bpftool ${profile.bpftoolVersion} treats it as static`;
      } else if (varT.kind === "func") why = "a function (ksym), not a variable";
      vars.push({
        name: varT.name,
        section: t.name,
        varId: varT.id,
        typeId,
        // Clang leaves DATASEC offsets 0 in objects; libbpf takes them from the symbol table, and so do we.
        offset: sym && t.size === 0 ? sym.value : v.offset,
        size: v.size,
        align: alignOf(btf, typeId) ?? 1,
        linkage,
        exposed: why === undefined,
        reason: why,
        skelAccessor: why === undefined && ident ? `skel->${ident}->${varT.name}` : undefined,
      });
    }
    vars.sort((a, b) => a.offset - b.offset);
    const elfSize = elf?.sectionByName(t.name)?.size;
    const size = t.size === 0 && elfSize !== undefined ? elfSize : t.size;
    out.push({ name: t.name, id: t.id, size, ident, reason, vars });
  }
  return out;
}

function innerDesc(m: BpfMap): string {
  return `${m.typeName}, key ${m.keySize} B, value ${m.valueSize} B, max_entries ${m.maxEntries}`;
}

/** Replaces the BTF-only view with libbpf's (exact offsets, .kconfig layout, profile rules), keeping BTF.ext data. */
function applyModel(info: ObjectInfo, model: BpfObject): void {
  const btf = info.btf;
  const byName = new Map(info.programs.map((p) => [`${p.section}\u0000${p.name}`, p]));
  info.programs = model.programs.map((p) => {
    const own = byName.get(`${p.sectionName}\u0000${p.name}`);
    return {
      name: p.name,
      section: p.sectionName,
      progType: p.progTypeName,
      attachType: p.expectedAttachTypeName || undefined,
      sleepable: p.sleepable,
      autoload: p.autoload,
      insnCount: p.insnCount,
      global: p.global,
      funcId: own?.funcId ?? 0,
      loc: own?.loc,
    };
  });
  const ownMaps = new Map(info.maps.map((m) => [m.name, m]));
  info.maps = model.maps
    .filter((m) => m.kind === "user" || m.kind === "struct_ops")
    .map((m) => ({
      name: m.realName,
      type: m.type,
      typeName: m.typeName,
      keyTypeId: m.keyTypeId,
      valueTypeId: m.valueTypeId,
      keySize: m.keySize,
      valueSize: m.valueSize,
      maxEntries: m.maxEntries,
      flags: m.mapFlags,
      pinning: m.pinning,
      mapExtra: m.mapExtra,
      innerTypeId: ownMaps.get(m.realName)?.innerTypeId ?? 0,
      innerDesc: m.inner ? innerDesc(m.inner) : undefined,
      varId: ownMaps.get(m.realName)?.varId ?? 0,
      section: model.elf.sections[m.sectionIndex]?.name ?? ".maps",
    }));
  const modelSecs = new Map(model.datasecs.map((d) => [d.name, d]));
  const mmapable = new Set(model.maps.filter((m) => m.data && m.mmapable).map((m) => m.realName));
  info.datasecs = info.datasecs.map((own) => {
    const d = modelSecs.get(own.name);
    if (!d) {
      const reason = own.reason ?? (own.ident ? `libbpf ${info.profile.libbpfVersion} does not make ${own.name} a map` : undefined);
      return { ...own, ident: undefined, reason, vars: own.vars.map((v) => ({ ...v, exposed: false, skelAccessor: undefined, reason: v.reason ?? reason })) };
    }
    const ident = own.ident && mmapable.has(d.name) ? own.ident : undefined;
    const vars: VarInfo[] = d.vars.map((v) => {
      let why: string | undefined;
      if (!ident) why = own.reason ?? `section ${d.name} is not a data section the skeleton maps`;
      else if (v.linkage === "static") why = "static variables are not exposed by the skeleton";
      else if (v.skipped && v.linkage === "hidden") why = `hidden visibility (__hidden): bpftool ${info.profile.bpftoolVersion} treats it as static`;
      else if (v.skipped) why = `libbpf ${info.profile.libbpfVersion} leaves it out`;
      return {
        name: v.name,
        section: d.name,
        varId: v.varId,
        typeId: v.typeId,
        offset: v.offset,
        size: v.size,
        align: (btf ? alignOf(btf, v.typeId) : undefined) ?? 1,
        linkage: v.linkage,
        exposed: why === undefined,
        reason: why,
        skelAccessor: why === undefined && ident ? `skel->${ident}->${v.name}` : undefined,
      };
    });
    vars.sort((a, b) => a.offset - b.offset);
    return { name: d.name, id: d.btfId || own.id, size: d.size, ident, reason: own.reason, vars };
  });
  // .kconfig has no DATASEC-backed ELF section; add it when libbpf made one and BTF had none.
  for (const d of model.datasecs) {
    if (info.datasecs.some((x) => x.name === d.name)) continue;
    const ident = datasecIdent(d.name, info.profile).ident;
    info.datasecs.push({
      name: d.name,
      id: d.btfId,
      size: d.size,
      ident,
      reason: undefined,
      vars: d.vars.map((v) => ({
        name: v.name,
        section: d.name,
        varId: v.varId,
        typeId: v.typeId,
        offset: v.offset,
        size: v.size,
        align: (btf ? alignOf(btf, v.typeId) : undefined) ?? 1,
        linkage: v.linkage,
        exposed: !v.skipped && !!ident,
        reason: v.skipped ? "left out by libbpf" : undefined,
        skelAccessor: !v.skipped && ident ? `skel->${ident}->${v.name}` : undefined,
      })),
    });
  }
}
