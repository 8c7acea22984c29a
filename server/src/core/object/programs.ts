// BPF programs as bpf_object__add_programs creates them, typed via section_defs, plus libbpf's relocation sanity check.

import { type ElfFile, type ElfSection, SHF, SHN_UNDEF, SHT, STB, STT } from "../elf/elf.js";
import { ERRNO, BtfLensError } from "../errors.js";
import { attachTypeNumber, findSecDef, progTypeNumber } from "./sec-defs.js";
import type { BpfProgram } from "./types.js";

/** libbpf's LIBBPF_ERRNO__RELOC. */
export const LIBBPF_ERRNO_RELOC = 4005;
const BPF_INSN_SZ = 8;

export interface RawProgram extends BpfProgram {
  /** True for functions in `.text` (subprograms: not listed by bpf_object__for_each_program). */
  readonly subprog: boolean;
  readonly size: number;
}

/** Executable sections with code, as bpf_object__elf_collect sees them. */
export function isProgSection(s: ElfSection): boolean {
  return s.type === SHT.PROGBITS && s.size > 0 && (s.flags & SHF.EXECINSTR) !== 0;
}

/** All functions (programs and .text subprograms), sorted by section index then offset as libbpf does. */
export function collectPrograms(elf: ElfFile, libbpf17: boolean): RawProgram[] {
  const text = elf.sections.find((s) => s.name === ".text" && isProgSection(s));
  const out: RawProgram[] = [];
  for (const sec of elf.sections) {
    if (!isProgSection(sec)) continue;
    for (const sym of elf.symbols) {
      if (sym.shndx !== sec.index || sym.type !== STT.FUNC) continue;
      if (sym.value + sym.size > sec.size) {
        throw new BtfLensError("malformed", `sec '${sec.name}': program at offset ${sym.value} crosses section boundary`, {
          errno: 4001,
        });
      }
      const subprog = text !== undefined && sec.index === text.index;
      if (!subprog && sym.bind === STB.LOCAL) {
        throw new BtfLensError("unsupported", `sec '${sec.name}': program '${sym.name}' is static and not supported`, {
          errno: ERRNO.ENOTSUP,
        });
      }
      const autoload = !sec.name.startsWith("?");
      const sectionName = autoload ? sec.name : sec.name.slice(1);
      const def = findSecDef(sectionName, libbpf17);
      const progTypeName = def?.progType ?? "unspec";
      const attachName = def?.attach ?? "";
      out.push({
        name: sym.name,
        sectionName,
        rawSectionName: sec.name,
        sectionIndex: sec.index,
        sectionOffset: sym.value,
        insnCount: Math.floor(sym.size / BPF_INSN_SZ),
        progType: Math.max(0, progTypeNumber(progTypeName)),
        progTypeName,
        expectedAttachType: Math.max(0, attachTypeNumber(attachName)),
        expectedAttachTypeName: attachName,
        secDef: def?.sec,
        autoload,
        sleepable: def?.sleepable ?? false,
        global: sym.bind !== STB.LOCAL,
        subprog,
        size: sym.size,
      });
    }
  }
  out.sort((a, b) => a.sectionIndex - b.sectionIndex || a.sectionOffset - b.sectionOffset);
  return out;
}

/**
 * libbpf's bpf_program__record_reloc checks for the code relocations of one `.rel<prog section>`: a reference to a
 * symbol in a section that did not become a map (for example `.bss.x` under libbpf 1.1) fails the open with
 * LIBBPF_ERRNO__RELOC. Sections that are not program code are ignored.
 */
export function checkProgramRelocSection(
  elf: ElfFile,
  rel: ElfSection,
  programs: readonly RawProgram[],
  isMapSection: (shndx: number) => boolean,
  userMaps?: { readonly sectionIndex: number; readonly offsets: ReadonlySet<number> },
): void {
  const text = elf.sections.find((s) => s.name === ".text" && isProgSection(s));
  const target = elf.sections[rel.info];
  if (rel.type !== SHT.REL || !target || !isProgSection(target)) return;
  for (const r of elf.rels(rel)) {
    const sym = elf.symbols[r.symbol];
    if (!sym) continue;
    const prog = programs.find((p) => p.sectionIndex === target.index && r.offset >= p.sectionOffset && r.offset < p.sectionOffset + p.size);
    const progName = prog?.name ?? "?";
    const isExtern = sym.shndx === SHN_UNDEF && (sym.bind === STB.GLOBAL || sym.bind === STB.WEAK) && sym.type === STT.NOTYPE;
    if (isExtern) continue;
    if (sym.shndx === SHN_UNDEF || sym.shndx >= 0xff00) {
      throw new BtfLensError("malformed", `prog '${progName}': invalid relo against '${sym.name}' in special section 0x${sym.shndx.toString(16)}; forgot to initialize global var?..`, {
        errno: LIBBPF_ERRNO_RELOC,
      });
    }
    if (text && sym.shndx === text.index) continue;
    // A reference into `.maps` must land on a map libbpf created (a symbol there without a map, such as an
    // extern map declaration, has none).
    if (userMaps && sym.shndx === userMaps.sectionIndex && !userMaps.offsets.has(sym.value)) {
      throw new BtfLensError("malformed", `prog '${progName}': map relo failed to find map for section '${elf.sections[sym.shndx]?.name ?? "?"}', off ${sym.value}`, {
        errno: LIBBPF_ERRNO_RELOC,
      });
    }
    if (isMapSection(sym.shndx)) continue;
    const secName = elf.sections[sym.shndx]?.name ?? "?";
    throw new BtfLensError("malformed", `prog '${progName}': bad map relo against '${sym.name}' in section '${secName}'`, {
      errno: LIBBPF_ERRNO_RELOC,
    });
  }
}
