// The libbpf-like object model: what libbpf knows about a BPF ELF object after bpf_object__open().

import type { Btf } from "../btf/parse.js";
import type { ElfFile } from "../elf/elf.js";
import type { Profile } from "../profile.js";

/** A BPF program (an entry point, not a .text subprogram), in libbpf's creation order. */
export interface BpfProgram {
  /** Function (ELF symbol) name. */
  readonly name: string;
  /** Section name without the leading `?` (what bpf_program__section_name returns). */
  readonly sectionName: string;
  /** The ELF section name as written (with `?` when not autoloaded). */
  readonly rawSectionName: string;
  readonly sectionIndex: number;
  /** Byte offset of the first instruction within its section. */
  readonly sectionOffset: number;
  readonly insnCount: number;
  /** BPF_PROG_TYPE_* number and name without the prefix (`kprobe`, `tracing`, `unspec`...). */
  readonly progType: number;
  readonly progTypeName: string;
  /** BPF_* attach type number and name without the prefix (`trace_fentry`...), or 0/"" when none. */
  readonly expectedAttachType: number;
  readonly expectedAttachTypeName: string;
  /** The section_defs entry that matched (`kprobe+`), or undefined for an unknown section. */
  readonly secDef: string | undefined;
  /** False for `?sec` programs. */
  readonly autoload: boolean;
  readonly sleepable: boolean;
  /** The symbol is global (not STB_LOCAL). */
  readonly global: boolean;
}

/** How a variable is linked, as the skeleton generator sees it after libbpf's fixups. */
export type DataVarLinkage = "static" | "global" | "hidden" | "extern";

/** One variable of a data section, with its offset fixed up from the ELF symbol table. */
export interface DataVar {
  readonly name: string;
  /** BTF id of the VAR. */
  readonly varId: number;
  /** BTF id of the variable's type (the VAR's target). */
  readonly typeId: number;
  /** Byte offset within the section (from st_value; for .kconfig, libbpf's computed offset). */
  readonly offset: number;
  /** Size from the DATASEC entry (what libbpf uses for padding decisions). */
  readonly size: number;
  readonly linkage: DataVarLinkage;
  /** True when libbpf treats the variable as static in this profile (left out of skeletons). */
  readonly skipped: boolean;
}

/** A data section that backs an internal map, with variables in libbpf's (sorted) order. */
export interface DataSection {
  /** ELF section name (`.rodata`, `.data.tunables`, `.kconfig`). */
  readonly name: string;
  /** ELF section index, or -1 for `.kconfig` (no ELF section). */
  readonly sectionIndex: number;
  readonly size: number;
  /** BTF DATASEC id, or 0 when the section has no DATASEC (`.rodata.str1.1`). */
  readonly btfId: number;
  readonly vars: readonly DataVar[];
}

export type MapKind = "user" | "data" | "rodata" | "bss" | "kconfig" | "struct_ops";

export interface BpfMap {
  /** libbpf's map name (bpf_map__name): the variable name, or `prefix.rodata` for internal maps. */
  readonly name: string;
  /** The unabridged name: the variable name or the ELF section name. */
  readonly realName: string;
  readonly kind: MapKind;
  /** BPF_MAP_TYPE_* number and name without the prefix (`hash`, `array`...). */
  readonly type: number;
  readonly typeName: string;
  readonly keySize: number;
  readonly valueSize: number;
  /** BTF type ids of key and value (0 when given only as sizes). */
  readonly keyTypeId: number;
  readonly valueTypeId: number;
  readonly maxEntries: number;
  readonly mapFlags: number;
  readonly numaNode: number;
  readonly pinning: number;
  readonly mapExtra: bigint;
  /** For map-in-map: the inner map definition. */
  readonly inner: BpfMap | undefined;
  /** `values` slots initialised through `.rel.maps` (program or map names; undefined = empty slot). */
  readonly initSlots: readonly (string | undefined)[];
  /** ELF section holding the map (`.maps`, `.rodata`, `.struct_ops`...). */
  readonly sectionIndex: number;
  /** Offset of the map's variable within that section. */
  readonly sectionOffset: number;
  /** BPF_F_MMAPABLE is set (internal maps that the skeleton memory-maps). */
  readonly mmapable: boolean;
  /** For internal maps: the backing data section. */
  readonly data: DataSection | undefined;
}

export type ExternKind = "kconfig" | "ksym";

export interface BpfExtern {
  readonly name: string;
  readonly kind: ExternKind;
  /** BTF id of the VAR or FUNC. */
  readonly btfId: number;
  readonly weak: boolean;
  /** For kconfig externs: offset within the `.kconfig` map. */
  readonly offset: number;
  readonly size: number;
}

export interface BpfObject {
  /** Object name (bpf_object__name): the override, or derived like bpftool does. */
  readonly name: string;
  readonly profile: Profile;
  readonly bytes: Uint8Array;
  readonly elf: ElfFile;
  /** The object's BTF (unmodified; use `datasecs` for fixed-up sizes and offsets). */
  readonly btf: Btf | undefined;
  readonly programs: readonly BpfProgram[];
  /** Maps in libbpf's creation order: `.maps`, data sections by index, `.kconfig`, struct_ops. */
  readonly maps: readonly BpfMap[];
  readonly externs: readonly BpfExtern[];
  /** Data sections that became internal maps, in map order. */
  readonly datasecs: readonly DataSection[];
  /** What libbpf would log at info/warn level while opening (`libbpf: ...` lines, without the prefix). */
  readonly log: readonly string[];
}

export interface OpenOptions {
  readonly profile: Profile;
  /** Object name override (bpftool's `name NAME`). */
  readonly name?: string;
}
