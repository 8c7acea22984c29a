// The BTF-only view of an object: programs from the symbol table, maps from .maps, variables from DATASECs.
// Used as is when libbpf would refuse the object, and as the base the libbpf view refines.

import type { BtfExt } from "../../core/btf/ext.js";
import type { Btf } from "../../core/btf/parse.js";
import type { BtfDatasec, BtfType } from "../../core/btf/types.js";
import { type ElfFile, type ElfSymbol, SHF, STT, STV } from "../../core/elf/elf.js";
import type { Profile } from "../../core/profile.js";
import { alignOf, resolve, sizeOf, typeAt } from "./ctype.js";
import type { DatasecInfo, Linkage, MapInfo, ProgInfo, VarInfo } from "./object-info.js";
import { mapTypeName, progKindOf } from "./sections.js";

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

export function programsOf(elf: ElfFile, ext: BtfExt | undefined, profile: Profile): ProgInfo[] {
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

export function mapsOf(btf: Btf): MapInfo[] {
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

export function datasecsOf(btf: Btf, elf: ElfFile | undefined, profile: Profile): DatasecInfo[] {
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
