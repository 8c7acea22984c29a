// openObject(): the pure equivalent of libbpf's bpf_object__open_mem for both profiles (no I/O, no kernel).

import { loadBtfFromElf } from "./btf-load.js";
import type { Btf } from "../btf/parse.js";
import { type ElfFile, type ElfSection, EM_BPF, ET_REL, isElf, parseElf, SHF, SHN_UNDEF, SHT, STB, STT } from "../elf/elf.js";
import { ERRNO, BtfLensError, malformed } from "../errors.js";
import { encodeLossless } from "../text/lossless-utf8.js";
import { alignOf, resolveSize, skipModsAndTypedefs } from "./btf-util.js";
import { buildDataSection, buildKconfigSection, checkDatasecFixups } from "./datasec.js";
import { collectStructOpsMaps, collectUserMaps } from "./maps.js";
import { checkProgramRelocSection, collectPrograms } from "./programs.js";
import { MAP_TYPE, mapTypeName } from "./sec-defs.js";
import { checkStructOpsRelocSection, type StructOpsUses } from "./struct-ops-relos.js";
import type { BpfExtern, BpfMap, BpfObject, DataSection, MapKind, OpenOptions } from "./types.js";

/** libbpf error numbers beyond errno (LIBBPF_ERRNO__*). */
export const LIBBPF_ERRNO = { FORMAT: 4001, ENDIAN: 4003, RELOC: 4005 } as const;

const BPF_F_RDONLY_PROG = 1 << 7;
const BPF_F_MMAPABLE = 1 << 10;
/** libbpf: BPF_OBJ_NAME_LEN. */
const BPF_OBJ_NAME_LEN = 16;

/** bpftool's get_obj_name(): basename cut to 63 bytes, `.o` dropped, every non-[A-Za-z0-9_] byte becomes `_`. */
export function objectNameFromPath(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const bytes = encodeLossless(base).subarray(0, 63);
  let end = bytes.length;
  if (end >= 2 && bytes[end - 2] === 0x2e && bytes[end - 1] === 0x6f) end -= 2;
  let out = "";
  for (const b of bytes.subarray(0, end)) out += isIdentByte(b) ? String.fromCharCode(b) : "_";
  return out;
}

function isIdentByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f;
}

/** Replaces every byte that is not [A-Za-z0-9_] by `_` (bytewise on UTF-8, like bpftool's isalnum loop). */
export function sanitizeIdentifier(s: string): string {
  let out = "";
  for (const b of encodeLossless(s)) out += isIdentByte(b) ? String.fromCharCode(b) : "_";
  return out;
}

/** libbpf's internal_map_name(): object-name prefix plus section name within 15 characters. */
export function internalMapName(objName: string, realName: string): string {
  const obj = encodeLossless(objName);
  const real = encodeLossless(realName);
  let sfxLen = Math.max(7, real.length);
  if (sfxLen >= BPF_OBJ_NAME_LEN) sfxLen = BPF_OBJ_NAME_LEN - 1;
  const pfxLen = realName.indexOf(".", 1) >= 0 ? 0 : Math.min(BPF_OBJ_NAME_LEN - sfxLen - 1, obj.length);
  const bytes = [...obj.subarray(0, pfxLen), ...real.subarray(0, sfxLen)].slice(0, BPF_OBJ_NAME_LEN - 1);
  // Bytewise, like libbpf: anything but [A-Za-z0-9_.] becomes `_`.
  return bytes.map((b) => (isIdentByte(b) || b === 0x2e ? String.fromCharCode(b) : "_")).join("");
}

/**
 * bpf_map__name() of an internal map: custom `.data.*`/`.rodata.*` maps show their full section name
 * (map_uses_real_name); the others show the 15-character kernel name from internalMapName().
 */
export function internalMapUserName(objName: string, kind: MapKind, realName: string): string {
  if ((kind === "data" && realName !== ".data") || (kind === "rodata" && realName !== ".rodata")) return realName;
  return internalMapName(objName, realName);
}

/** Sections libbpf never looks at (ignore_elf_section). */
function ignored(s: ElfSection): boolean {
  if (s.type === SHT.STRTAB || s.type === 0x6fff4c03 /* SHT_LLVM_ADDRSIG */) return true;
  if (s.type === SHT.PROGBITS && s.size === 0 && s.name === ".text") return true;
  const dwarf = (n: string) => n.startsWith(".debug_");
  if (dwarf(s.name)) return true;
  if (s.name.startsWith(".rel")) {
    const t = s.name.slice(4);
    if (dwarf(t) || t === ".BTF" || t === ".BTF.ext") return true;
  }
  return false;
}

type SecKind = "data" | "rodata" | "bss" | "struct_ops";

interface Classified {
  kinds: Map<number, SecKind>;
  mapsSec: ElfSection | undefined;
  /** `.addr_space.1`: initial data of global __arena variables (libbpf 1.4+). */
  arenaSec: ElfSection | undefined;
  log: string[];
}

/** The section walk of bpf_object__elf_collect: what each section is, and what libbpf logs about the rest. */
function classifySections(elf: ElfFile, opts: OpenOptions): Classified {
  const p = opts.profile;
  const kinds = new Map<number, SecKind>();
  const log: string[] = [];
  let mapsSec: ElfSection | undefined;
  let arenaSec: ElfSection | undefined;
  const stOps = p.structOpsLink ? [".struct_ops", ".struct_ops.link", "?.struct_ops", "?.struct_ops.link"] : [".struct_ops"];
  for (const s of elf.sections) {
    if (s.index === 0 || ignored(s)) continue;
    const n = s.name;
    if (n === "license" || n === "version") continue;
    if (n === "maps") throw new BtfLensError("unsupported", "elf: legacy map definitions in 'maps' section are not supported by libbpf v1.0+", { errno: ERRNO.ENOTSUP });
    if (n === ".maps") {
      mapsSec = s;
      continue;
    }
    if (n === ".BTF" || n === ".BTF.ext" || s.type === SHT.SYMTAB) continue;
    if (s.type === SHT.PROGBITS && s.size > 0) {
      if (s.flags & SHF.EXECINSTR) continue;
      if (n === ".data" || n.startsWith(".data.")) kinds.set(s.index, "data");
      else if (n === ".rodata" || n.startsWith(".rodata.")) kinds.set(s.index, "rodata");
      else if (stOps.includes(n)) kinds.set(s.index, "struct_ops");
      else if (n === ARENA_SEC && p.arenaData) arenaSec = s;
      else log.push(`elf: skipping unrecognized data section(${s.index}) ${n}`);
    } else if (s.type === SHT.REL) {
      const target = elf.sections[s.info];
      const exec = target !== undefined && (target.flags & SHF.EXECINSTR) !== 0;
      const relOk = [".rel.maps", ...stOps.map((x) => `.rel${x}`)];
      if (!exec && !relOk.includes(n)) log.push(`elf: skipping relo section(${s.index}) ${n} for section(${s.info}) ${target?.name ?? "<?>"}`);
    } else if (s.type === SHT.NOBITS && (n === ".bss" || (p.customBssSections && n.startsWith(".bss.")))) {
      kinds.set(s.index, "bss");
    } else {
      log.push(`elf: skipping section(${s.index}) ${n} (size ${s.size})`);
    }
  }
  return { kinds, mapsSec, arenaSec, log };
}

/**
 * find_kcfg_type() != KCFG_UNKNOWN: a 1-byte bool, a char, a 2/4/8-byte integer, the `libbpf_tristate` enum or a
 * non-empty char array (after modifiers and typedefs).
 */
function isKcfgType(btf: Btf, id: number, charOnly = false): boolean {
  const t = skipModsAndTypedefs(btf, id).type;
  if (t?.kind === "int") {
    if (t.encoding & 4 /* BTF_INT_BOOL */) return !charOnly && t.size === 1;
    if (t.size === 1) return true;
    return !charOnly && [2, 4, 8].includes(t.size);
  }
  if (charOnly) return false;
  if (t?.kind === "enum" || t?.kind === "enum64") return t.name === "libbpf_tristate" && (t.kind === "enum64" || t.size === 4);
  if (t?.kind === "array") return t.nelems > 0 && isKcfgType(btf, t.type, true);
  return false;
}

/** bpf_object__collect_externs: .kconfig/.ksyms externs; kconfig ones sorted by (align desc, size asc, name). */
function collectExterns(btf: Btf | undefined, elf: ElfFile, profile: OpenOptions["profile"]): BpfExtern[] {
  const raw: { name: string; kind: "kconfig" | "ksym"; btfId: number; weak: boolean; size: number; align: number }[] = [];
  for (const sym of elf.symbols) {
    if (sym.shndx !== SHN_UNDEF || (sym.bind !== STB.GLOBAL && sym.bind !== STB.WEAK) || sym.type !== STT.NOTYPE || sym.name === "") continue;
    const fail = (detail: string, errno: number) => new BtfLensError("malformed", detail, { errno });
    // libbpf find_extern_btf_id: no BTF is ESRCH; the first VAR or FUNC of that name decides, and one that is
    // not extern (a global of the same name) is EINVAL rather than a reason to look further.
    if (!btf) throw fail(`failed to find BTF for extern '${sym.name}': -3`, ERRNO.ESRCH);
    const id = btf.idsByName(sym.name).find((i) => {
      const k = btf.types[i]?.kind;
      return k === "var" || k === "func";
    });
    if (id === undefined) throw fail(`failed to find BTF for extern '${sym.name}': -2`, ERRNO.ENOENT);
    const found = btf.types[id];
    if ((found?.kind === "var" || found?.kind === "func") && found.linkage !== 2) {
      throw fail(`failed to find BTF for extern '${sym.name}': -22`, ERRNO.EINVAL);
    }
    const sec = btf.types.find((t) => t.kind === "datasec" && t.vars.some((v) => v.type === id));
    if (!sec) throw fail(`failed to find BTF for extern '${sym.name}' [${id}] section: -2`, ERRNO.ENOENT);
    const t = btf.type(id);
    if (sec.name === ".kconfig") {
      if (t.kind !== "var") throw fail(`extern function ${sym.name} is unsupported under .kconfig section`, ERRNO.ENOTSUP);
      const size = resolveSize(btf, t.type);
      const align = alignOf(btf, t.type);
      // A size of 0 (`extern char X[] __kconfig`) makes libbpf stop collecting externs without an error, and the
      // open fails later, in a way that depends on the libbpf version.
      if (size === 0) throw fail(`failed to resolve size of extern (kcfg) '${sym.name}': 0`, profile.kconfigZeroSizeErrno);
      if (size < 0) throw fail(`failed to resolve size of extern (kcfg) '${sym.name}': ${size}`, ERRNO.EINVAL);
      if (align <= 0) throw fail(`failed to determine alignment of extern (kcfg) '${sym.name}': ${align}`, ERRNO.EINVAL);
      if (!isKcfgType(btf, t.type)) throw fail(`extern (kcfg) '${sym.name}': type is unsupported`, ERRNO.ENOTSUP);
      raw.push({ name: t.name, kind: "kconfig", btfId: id, weak: sym.bind === STB.WEAK, size, align });
    } else if (sec.name === ".ksyms") {
      raw.push({ name: t.name, kind: "ksym", btfId: id, weak: sym.bind === STB.WEAK, size: 0, align: 0 });
    } else {
      throw fail(`unrecognized extern section '${sec.name}'`, ERRNO.ENOTSUP);
    }
  }
  raw.sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === "kconfig" ? -1 : 1;
    if (a.kind === "kconfig") {
      if (a.align !== b.align) return b.align - a.align;
      if (a.size !== b.size) return a.size - b.size;
    }
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  let off = 0;
  return raw.map((e) => {
    if (e.kind !== "kconfig") return { name: e.name, kind: e.kind, btfId: e.btfId, weak: e.weak, offset: 0, size: 0 };
    const at = Math.ceil(off / e.align) * e.align;
    off = at + e.size;
    return { name: e.name, kind: e.kind, btfId: e.btfId, weak: e.weak, offset: at, size: e.size };
  });
}

function internalMap(objName: string, kind: MapKind, data: DataSection, profile: OpenOptions["profile"]): BpfMap {
  const exposed = data.vars.some((v) => !v.skipped);
  // libbpf 1.7 memory-maps only sections with a non-static variable; Debian's 1.1 maps them all.
  const mmapable = !profile.mmapOnlyExposed || exposed;
  const ro = kind === "rodata" || kind === "kconfig";
  return {
    name: internalMapUserName(objName, kind, data.name), realName: data.name, kind, type: MAP_TYPE.ARRAY, typeName: mapTypeName(MAP_TYPE.ARRAY),
    keySize: 4, valueSize: data.size, keyTypeId: 0, valueTypeId: data.btfId, maxEntries: 1,
    mapFlags: (ro ? BPF_F_RDONLY_PROG : 0) | (mmapable ? BPF_F_MMAPABLE : 0), numaNode: 0, pinning: 0, mapExtra: 0n,
    inner: undefined, initSlots: [], sectionIndex: data.sectionIndex, sectionOffset: 0, mmapable, data,
  };
}

/** bpf_object__init_btf: a broken or missing .BTF is tolerated unless `.maps` or struct_ops need it. */
function loadObjectBtf(elf: ElfFile, cls: Classified, profile: OpenOptions["profile"]): Btf | undefined {
  const needsBtf = cls.mapsSec !== undefined || [...cls.kinds.values()].includes("struct_ops");
  let errno: number = ERRNO.ENOENT;
  try {
    const btf = loadBtfFromElf(elf, profile.btfSanityCheck);
    if (btf) return btf;
  } catch (e) {
    if (!(e instanceof BtfLensError)) throw e;
    errno = e.errno;
    const shown = profile.secDefs === "1.7" ? `-${ERRNO_NAMES[errno] ?? errno}` : `-${errno}`;
    cls.log.push(`Error loading ELF section .BTF: ${shown}.`);
  }
  if (needsBtf) throw new BtfLensError("malformed", "BTF is required, but is missing or corrupted.", { errno });
  return undefined;
}

const ARENA_SEC = ".addr_space.1";
const PAGE_SIZE = 4096;

/**
 * libbpf 1.4+: one ARENA map at most; `.addr_space.1` becomes that map's initial value (bpf_map__initial_value),
 * which bpftool exposes as the skeleton's `arena` struct.
 */
function attachArenaData(maps: BpfMap[], datasecs: DataSection[], cls: Classified, btf: Btf | undefined, elf: ElfFile, profile: OpenOptions["profile"]): void {
  // bpf_object__init_user_btf_maps does all of this, and returns early when there is no `.maps` section.
  if (!profile.arenaData || !cls.mapsSec) return;
  const arenas = maps.filter((m) => m.type === MAP_TYPE.ARENA);
  const [first, second] = arenas;
  if (first && second) throw new BtfLensError("malformed", `map '${second.name}': only single ARENA map is supported (map '${first.name}' is also ARENA)`);
  const sec = cls.arenaSec;
  if (!sec) return;
  if (!first) {
    throw new BtfLensError("malformed", `elf: sec '${ARENA_SEC}': to use global __arena variables the ARENA map should be explicitly declared in SEC(".maps")`, {
      errno: ERRNO.ENOENT,
    });
  }
  if (Math.ceil(sec.size / PAGE_SIZE) > first.maxEntries) {
    throw new BtfLensError("malformed", `elf: sec '${ARENA_SEC}': declared ARENA map size (${first.maxEntries * PAGE_SIZE}) is too small to hold global __arena variables of size ${sec.size}`, {
      errno: ERRNO.E2BIG,
    });
  }
  const data = buildDataSection(btf, elf, sec, profile);
  maps[maps.indexOf(first)] = { ...first, mmapable: true, data };
  datasecs.unshift(data);
}

const ERRNO_NAMES: Record<number, string> = { 2: "ENOENT", 7: "E2BIG", 12: "ENOMEM", 22: "EINVAL", 71: "EPROTO", 95: "EOPNOTSUPP" };

/** Opens a BPF ELF object the way libbpf does (for the given profile) and returns what it knows. */
export function openObject(bytes: Uint8Array, options: OpenOptions): BpfObject {
  const profile = options.profile;
  if (!isElf(bytes)) throw malformed(`elf: '${options.name ?? ""}' is not a proper ELF object`, 0, LIBBPF_ERRNO.FORMAT);
  let elf: ElfFile;
  try {
    elf = parseElf(bytes);
  } catch (e) {
    // libelf failures all surface as LIBBPF_ERRNO__FORMAT.
    if (e instanceof BtfLensError) throw new BtfLensError(e.kind, `elf: ${e.message}`, { errno: LIBBPF_ERRNO.FORMAT, offset: e.offset });
    throw e;
  }
  const name = options.name ?? "";
  if (elf.order !== "little" && !profile.foreignEndian) {
    throw new BtfLensError("unsupported", `elf: endianness mismatch in ${name}.`, { errno: LIBBPF_ERRNO.ENDIAN });
  }
  if (elf.type !== ET_REL || (elf.machine !== EM_BPF && elf.machine !== 0)) {
    throw malformed(`elf: ${name} is not a valid eBPF object file`, 16, LIBBPF_ERRNO.FORMAT);
  }
  if (elf.symtabIndex < 0) {
    throw new BtfLensError("malformed", `elf: couldn't find symbol table in ${name}, stripped object file?`, { errno: ERRNO.ENOENT });
  }

  const cls = classifySections(elf, options);
  const btf = loadObjectBtf(elf, cls, profile);
  const all = collectPrograms(elf, profile.secDefs === "1.7");
  const externs = collectExterns(btf, elf, profile);
  checkDatasecFixups(btf, elf, profile);

  const maps: BpfMap[] = collectUserMaps(btf, elf, cls.mapsSec, { mapExtraEnum: profile.mapExtraEnum });
  const datasecs: DataSection[] = [];
  for (const s of elf.sections) {
    const kind = cls.kinds.get(s.index);
    if (kind === undefined || kind === "struct_ops" || s.size === 0) continue;
    const data = buildDataSection(btf, elf, s, profile);
    datasecs.push(data);
    maps.push(internalMap(name, kind, data, profile));
  }
  const kcfg = btf ? buildKconfigSection(btf, externs) : undefined;
  if (kcfg) {
    datasecs.push(kcfg);
    maps.push(internalMap(name, "kconfig", kcfg, profile));
  }
  for (const s of elf.sections) if (cls.kinds.get(s.index) === "struct_ops") maps.push(...collectStructOpsMaps(btf, elf, s));
  attachArenaData(maps, datasecs, cls, btf, elf, profile);

  const mapSections = new Set<number>([...cls.kinds.keys()]);
  if (cls.mapsSec) mapSections.add(cls.mapsSec.index);
  // Without an ARENA map, code that uses __arena variables fails to relocate.
  if (cls.arenaSec && maps.some((m) => m.type === MAP_TYPE.ARENA)) mapSections.add(cls.arenaSec.index);
  // bpf_object__collect_relos: relocation sections in section order, the first failure wins.
  const uses: StructOpsUses | undefined = profile.structOpsProgOneUse ? new Map() : undefined;
  const mapsSec = cls.mapsSec;
  const userMaps = mapsSec
    ? { sectionIndex: mapsSec.index, offsets: new Set(maps.filter((m) => m.sectionIndex === mapsSec.index).map((m) => m.sectionOffset)) }
    : undefined;
  for (const rel of elf.sections) {
    if (cls.kinds.get(rel.info) === "struct_ops") checkStructOpsRelocSection(btf, elf, rel, all, maps, uses);
    else checkProgramRelocSection(elf, rel, all, (i) => mapSections.has(i), userMaps);
  }

  const programs = all.filter((p) => !p.subprog).map(({ subprog: _s, size: _z, ...p }) => p);
  return { name, profile, bytes, elf, btf, programs, maps, externs, datasecs, log: cls.log };
}
