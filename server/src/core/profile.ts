// Output profiles: what differs between bpftool 7.7 (libbpf 1.7) and Debian 12's bpftool 7.1 (libbpf 1.1), as data.

export type ProfileName = "7.7" | "7.1";

export interface Profile {
  readonly name: ProfileName;
  /** `bpftool version` first line, for messages. */
  readonly bpftoolVersion: string;
  readonly libbpfVersion: string;
  /** libbpf >= 1.3 validates string offsets and type ids while parsing BTF (btf_sanity_check). */
  readonly btfSanityCheck: boolean;
  /** No-BTF errno when dumping: libbpf 1.7 says ENODATA, libbpf 1.1 ENOENT. */
  readonly noBtfErrno: number;
  /** `format c` sorts types by default and accepts `unsorted`. */
  readonly sortedCDump: boolean;
  /** `format c` prints the __ksym/__weak/__bpf_fastcall preamble and the BPF kfuncs block. */
  readonly cDumpKfuncs: boolean;
  /** 1-byte enums get __attribute__((mode(byte))), 8-byte enums with 32-bit values mode(word). */
  readonly enumModeByte: boolean;
  /** kflag TYPE_TAGs print as __attribute__((address_space(N))) rather than btf_type_tag. */
  readonly typeTagAttribute: boolean;
  /** STV_HIDDEN globals are treated as static (left out of skeletons). */
  readonly hiddenIsStatic: boolean;
  /**
   * btf_fixup_datasec also goes through the variables of a DATASEC that already has a size (a linked object),
   * looking up each global's ELF symbol; the libbpf of Debian's bpftool 7.1 leaves such sections as they are.
   */
  readonly fixupSizedDatasecs: boolean;
  /** Objects of the other byte order can be opened. */
  readonly foreignEndian: boolean;
  /** Custom `.bss.*` sections become maps. */
  readonly customBssSections: boolean;
  /** `.struct_ops.link` sections are recognised. */
  readonly structOpsLink: boolean;
  /** Data sections with no exposed variable still get a struct. */
  readonly emptyDatasecStruct: boolean;
  /** libbpf sets BPF_F_MMAPABLE only on data sections with a non-static variable (map_is_mmapable, libbpf 1.2+). */
  readonly mmapOnlyExposed: boolean;
  /** `.addr_space.1` (global __arena variables) becomes the initial data of the object's ARENA map (libbpf 1.4+). */
  readonly arenaData: boolean;
  /** A struct_ops program may serve only one struct_ops type and member (libbpf 1.1). */
  readonly structOpsProgOneUse: boolean;
  /** Open error when a `.kconfig` extern has size 0: libbpf 1.7 fails creating the map (EINVAL), Debian's 1.1 when
   * it fixes up the DATASEC (ENOENT). */
  readonly kconfigZeroSizeErrno: number;
  /** Which libbpf section_defs table deduces program types from SEC() names. */
  readonly secDefs: "1.1" | "1.7";
  /** v7.3+: embedded ELF as `static const char data[]`; v7.1: returned as a string cast. */
  readonly elfBytesAsArray: boolean;
  /** v7.4+: struct_ops shadow types. */
  readonly structOpsShadow: boolean;
  /** v7.5+: map_skel_sz, map links, BPF_SKEL_SUPPORTS_MAP_AUTO_ATTACH, __typeof__. */
  readonly mapSkelSz: boolean;
  /** libbpf 1.7 reads `map_extra` from a one-value enum too (`__ulong()`); 1.1 only from `__uint()`. */
  readonly mapExtraEnum: boolean;
  /** `typeof` spelling in subskeletons. */
  readonly typeofKeyword: "typeof" | "__typeof__";
}

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  "7.7": {
    name: "7.7",
    bpftoolVersion: "v7.7.0",
    libbpfVersion: "v1.7",
    btfSanityCheck: true,
    noBtfErrno: 61,
    sortedCDump: true,
    cDumpKfuncs: true,
    enumModeByte: true,
    typeTagAttribute: true,
    hiddenIsStatic: true,
    fixupSizedDatasecs: true,
    foreignEndian: true,
    customBssSections: true,
    structOpsLink: true,
    emptyDatasecStruct: false,
    mmapOnlyExposed: true,
    arenaData: true,
    structOpsProgOneUse: false,
    kconfigZeroSizeErrno: 22,
    secDefs: "1.7",
    elfBytesAsArray: true,
    structOpsShadow: true,
    mapSkelSz: true,
    mapExtraEnum: true,
    typeofKeyword: "__typeof__",
  },
  "7.1": {
    name: "7.1",
    bpftoolVersion: "v7.1.0",
    libbpfVersion: "v1.1",
    btfSanityCheck: false,
    noBtfErrno: 2,
    sortedCDump: false,
    cDumpKfuncs: false,
    enumModeByte: false,
    typeTagAttribute: false,
    hiddenIsStatic: false,
    fixupSizedDatasecs: false,
    foreignEndian: false,
    customBssSections: false,
    structOpsLink: false,
    emptyDatasecStruct: true,
    mmapOnlyExposed: false,
    arenaData: false,
    structOpsProgOneUse: true,
    kconfigZeroSizeErrno: 2,
    secDefs: "1.1",
    elfBytesAsArray: false,
    structOpsShadow: false,
    mapSkelSz: false,
    mapExtraEnum: false,
    typeofKeyword: "typeof",
  },
};

export const DEFAULT_PROFILE: ProfileName = "7.7";

export function isProfileName(s: string): s is ProfileName {
  return s === "7.7" || s === "7.1";
}
