// Data sections as libbpf sees them after btf_fixup_datasec: sizes and var offsets from ELF, hidden vars, sorting.

import type { Btf } from "../btf/parse.js";
import { VarLinkage as BTF_VAR } from "../btf/types.js";
import type { BtfType, BtfVarSecinfo } from "../btf/types.js";
import { type ElfFile, type ElfSection, type ElfSymbol, STB, STT, STV } from "../elf/elf.js";
import { ERRNO, BtfLensError } from "../errors.js";
import type { Profile } from "../profile.js";
import { findDatasec } from "./btf-util.js";
import type { BpfExtern, DataSection, DataVar, DataVarLinkage } from "./types.js";

/** Symbol lookup like libbpf's find_elf_var_sym: a global or weak OBJECT symbol with this name. */
function findVarSymbol(elf: ElfFile, name: string) {
  return elf.symbols.find((s) => s.type === STT.OBJECT && (s.bind === STB.GLOBAL || s.bind === STB.WEAK) && s.name === name);
}

/**
 * btf_fixup_datasec's check of one entry of DATASEC `ds`: it must be a VAR, and a global one needs its ELF symbol
 * (returned; undefined for static and extern variables, which libbpf leaves alone, and for every variable of a
 * DATASEC that already has a size when the profile's libbpf leaves those alone).
 */
function fixupVar(
  btf: Btf,
  elf: ElfFile,
  ds: { readonly name: string; readonly size: number },
  vsi: BtfVarSecinfo,
  profile: Profile,
): { v: BtfType & { kind: "var" }; sym: ElfSymbol | undefined } {
  const v = btf.types[vsi.type];
  if (v === undefined || v.kind !== "var") {
    throw new BtfLensError("malformed", `sec '${ds.name}': unexpected non-VAR type found`, { errno: ERRNO.EINVAL });
  }
  const lookUp = ds.size === 0 || profile.fixupSizedDatasecs;
  if (!lookUp || v.linkage === BTF_VAR.STATIC || v.linkage === BTF_VAR.EXTERN) return { v, sym: undefined };
  const sym = findVarSymbol(elf, v.name);
  if (!sym) throw new BtfLensError("malformed", `sec '${ds.name}': failed to find ELF symbol for VAR '${v.name}'`, { errno: ERRNO.ENOENT });
  return { v, sym };
}

/** Any OBJECT symbol with this name in this section (for static variables, whose offsets libbpf leaves alone). */
function findAnySymbol(elf: ElfFile, name: string, shndx: number) {
  return elf.symbols.find((s) => s.type === STT.OBJECT && s.shndx === shndx && s.name === name);
}

/** Stable sort by offset, as glibc's merge-sort qsort behaves for compare_vsi_off. */
function sortByOffset(vars: DataVar[]): DataVar[] {
  return vars
    .map((v, i) => ({ v, i }))
    .sort((a, b) => a.v.offset - b.v.offset || a.i - b.i)
    .map((x) => x.v);
}

/**
 * The data section behind an internal map: its size from the ELF header, and each DATASEC variable
 * with its offset from st_value (unless the BTF already has sizes, as after static linking).
 */
export function buildDataSection(btf: Btf | undefined, elf: ElfFile, sec: ElfSection, profile: Profile): DataSection {
  const btfId = btf ? findDatasec(btf, sec.name) : 0;
  if (!btf || btfId === 0) return { name: sec.name, sectionIndex: sec.index, size: sec.size, btfId: 0, vars: [] };
  const ds = btf.type(btfId);
  if (ds.kind !== "datasec") return { name: sec.name, sectionIndex: sec.index, size: sec.size, btfId: 0, vars: [] };
  const fixupOffsets = ds.size === 0;
  const vars: DataVar[] = [];
  for (const vsi of ds.vars) {
    const { v, sym } = fixupVar(btf, elf, ds, vsi, profile);
    let linkage: DataVarLinkage = v.linkage === BTF_VAR.STATIC ? "static" : v.linkage === BTF_VAR.EXTERN ? "extern" : "global";
    let offset = vsi.offset;
    if (sym) {
      if (fixupOffsets) offset = sym.value;
      if (sym.visibility === STV.HIDDEN || sym.visibility === STV.INTERNAL) linkage = "hidden";
    } else if (linkage === "static" && fixupOffsets) {
      // libbpf leaves statics at offset 0; the true offset is kept here for the layout view.
      const any = findAnySymbol(elf, v.name, sec.index);
      if (any) offset = any.value;
    }
    const skipped = linkage === "static" || linkage === "extern" || (linkage === "hidden" && profile.hiddenIsStatic);
    vars.push({ name: v.name, varId: v.id, typeId: v.type, offset, size: vsi.size, linkage, skipped });
  }
  return { name: sec.name, sectionIndex: sec.index, size: sec.size, btfId, vars: sortByOffset(vars) };
}

/**
 * libbpf's btf_fixup_datasec over every DATASEC of the object (bpf_object_fixup_btf, before any map is made):
 * a DATASEC of size 0 takes its ELF section's size, which must exist and not be 0, and every global variable
 * needs its ELF symbol. Only the failures matter here; buildDataSection computes the result.
 */
export function checkDatasecFixups(btf: Btf | undefined, elf: ElfFile, profile: Profile): void {
  if (!btf) return;
  for (const ds of btf.types) {
    if (ds.kind !== "datasec" || ds.name === ".kconfig" || ds.name === ".ksyms") continue;
    if (ds.size === 0) {
      const sec = elf.sectionByName(ds.name);
      const size = sec?.size ?? 0;
      if (!sec || size === 0) {
        throw new BtfLensError("malformed", `sec '${ds.name}': failed to determine size from ELF: size ${size}, err ${sec ? 0 : -ERRNO.ENOENT}`, {
          errno: ERRNO.ENOENT,
        });
      }
    }
    for (const vsi of ds.vars) fixupVar(btf, elf, ds, vsi, profile);
  }
}

/** The `.kconfig` map's section: kconfig externs at the offsets libbpf assigned them, in offset order. */
export function buildKconfigSection(btf: Btf, externs: readonly BpfExtern[]): DataSection | undefined {
  const kcfg = externs.filter((e) => e.kind === "kconfig");
  if (kcfg.length === 0) return undefined;
  const btfId = findDatasec(btf, ".kconfig");
  const ds = btfId ? btf.type(btfId) : undefined;
  let size = 0;
  for (const e of kcfg) size = Math.max(size, e.offset + e.size);
  const vars: DataVar[] = [];
  if (ds?.kind === "datasec") {
    for (const vsi of ds.vars) {
      const v = btf.types[vsi.type];
      if (v?.kind !== "var") continue;
      const ext = kcfg.find((e) => e.name === v.name);
      if (!ext) {
        throw new BtfLensError("malformed", `failed to find extern definition for BTF var '${v.name}'`, { errno: ERRNO.ESRCH });
      }
      // libbpf turns kconfig externs into allocated globals.
      vars.push({ name: v.name, varId: v.id, typeId: v.type, offset: ext.offset, size: vsi.size, linkage: "extern", skipped: false });
    }
  }
  return { name: ".kconfig", sectionIndex: -1, size, btfId, vars: sortByOffset(vars) };
}
