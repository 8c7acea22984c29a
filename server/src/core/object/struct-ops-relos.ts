// libbpf's bpf_object__collect_st_ops_relos checks: every function pointer of a struct_ops map must name a struct_ops program.

import type { Btf } from "../btf/parse.js";
import type { ElfFile, ElfSection } from "../elf/elf.js";
import { ERRNO, BtfLensError } from "../errors.js";
import { skipModsAndTypedefs } from "./btf-util.js";
import { LIBBPF_ERRNO_RELOC, type RawProgram } from "./programs.js";
import type { BpfMap } from "./types.js";

const SHN_LORESERVE = 0xff00;
const BPF_INSN_SZ = 8;
const LIBBPF_ERRNO_FORMAT = 4001;

/** Which struct_ops type and member each program first served (libbpf 1.1 allows no other use). */
export type StructOpsUses = Map<RawProgram, string>;

/**
 * Checks the relocations of one struct_ops section's `.rel` section and fails the open like libbpf does when a
 * relocation does not point a function-pointer member at a struct_ops program (for example a `struct_ops.s/`
 * program under libbpf 1.1, which does not know that section prefix and leaves the program untyped).
 * `uses` is given under libbpf 1.1, where a program may serve one struct_ops type and member only.
 */
export function checkStructOpsRelocSection(
  btf: Btf | undefined,
  elf: ElfFile,
  rel: ElfSection,
  programs: readonly RawProgram[],
  maps: readonly BpfMap[],
  uses: StructOpsUses | undefined,
): void {
  const fail = (detail: string, errno: number = ERRNO.EINVAL) => new BtfLensError("malformed", `struct_ops reloc ${detail}`, { errno });
  const stMaps = maps.filter((m) => m.kind === "struct_ops" && m.sectionIndex === rel.info);
  if (rel.type !== 9 /* SHT_REL */ || stMaps.length === 0 || !btf) return;
  for (const r of elf.rels(rel)) {
    const sym = elf.symbols[r.symbol];
    if (!sym) throw fail(`: symbol ${r.symbol.toString(16)} not found`, LIBBPF_ERRNO_FORMAT);
    const map = stMaps.find((m) => r.offset >= m.sectionOffset && r.offset < m.sectionOffset + m.valueSize);
    if (!map) throw fail(`: cannot find map at rel->r_offset ${r.offset}`);
    const moff = r.offset - map.sectionOffset;
    if (sym.shndx >= SHN_LORESERVE) {
      throw fail(`${map.name}: rel->r_offset ${r.offset} shdr_idx ${sym.shndx} unsupported non-static function`, LIBBPF_ERRNO_RELOC);
    }
    if (sym.value % BPF_INSN_SZ) throw fail(`${map.name}: invalid target program offset ${sym.value}`, LIBBPF_ERRNO_FORMAT);
    const type = btf.types[map.valueTypeId];
    const memberIdx = type?.kind === "struct" ? type.members.findIndex((m) => m.bitOffset === moff * 8) : -1;
    const member = type?.kind === "struct" ? type.members[memberIdx] : undefined;
    if (!member) throw fail(`${map.name}: cannot find member at moff ${moff}`);
    const ptr = skipModsAndTypedefs(btf, member.type).type;
    const target = ptr?.kind === "ptr" ? skipModsAndTypedefs(btf, ptr.type).type : undefined;
    if (target?.kind !== "func_proto") throw fail(`${map.name}: cannot relocate non func ptr ${member.name}`);
    const prog = programs.find((p) => p.sectionIndex === sym.shndx && sym.value >= p.sectionOffset && sym.value < p.sectionOffset + p.size);
    if (!prog) throw fail(`${map.name}: cannot find prog at shdr_idx ${sym.shndx} to relocate func ptr ${member.name}`);
    if (prog.progTypeName !== "struct_ops") throw fail(`${map.name}: prog ${prog.name} is not struct_ops BPF program`);
    if (!uses) continue;
    const use = `${map.valueTypeId}/${memberIdx}`;
    const first = uses.get(prog) ?? use;
    uses.set(prog, first);
    if (first !== use) throw fail(`${map.name}: cannot use prog ${prog.name} in sec ${prog.sectionName} for func ptr ${member.name}`);
  }
}
