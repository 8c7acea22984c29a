// What the language server knows about one object file: programs, maps, data-section variables, source locations.
// Built from the core ELF/BTF/BTF.ext readers; never throws (a broken object gives `error`).

import type { BtfExt } from "../../core/btf/ext.js";
import { loadBtfExt } from "../../core/btf/load.js";
import { type Btf, isRawBtf, parseBtf } from "../../core/btf/parse.js";
import { EM_BPF, type ElfFile, isElf, parseElf } from "../../core/elf/elf.js";
import { objectNameFromPath, openObject } from "../../core/object/index.js";
import type { BpfObject } from "../../core/object/types.js";
import type { Profile } from "../../core/profile.js";
import { datasecsOf, mapsOf, programsOf } from "./btf-view.js";
import { typeAt } from "./ctype.js";
import { applyModel } from "./libbpf-view.js";

export { datasecIdent } from "./btf-view.js";

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

export function emptyInfo(path: string, profile: Profile, error: string | undefined): ObjectInfo {
  return {
    path,
    format: "elf",
    name: objectNameOf(path),
    hasBtf: false,
    isBpf: true,
    error,
    btf: undefined,
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
