// BTF-defined maps from `.maps` (parse_btf_map_def), struct_ops maps, and map-in-map/prog-array initial values.

import type { Btf } from "../btf/parse.js";
import type { BtfComposite } from "../btf/types.js";
import type { ElfFile, ElfSection } from "../elf/elf.js";
import { ERRNO, BtfLensError } from "../errors.js";
import { findDatasec, resolveSize, skipModsAndTypedefs } from "./btf-util.js";
import { MAP_TYPE, mapTypeName } from "./sec-defs.js";
import type { BpfMap } from "./types.js";

const BPF_F_LINK = 1 << 13;
/** libbpf btf_var_linkage_str. */
const LINKAGE_NAMES: Record<number, string> = { 0: "static", 1: "global", 2: "extern" };

function fail(detail: string, errno: number = ERRNO.EINVAL): BtfLensError {
  return new BtfLensError("malformed", detail, { errno });
}

interface MutableDef {
  type: number;
  keySize: number;
  valueSize: number;
  keyTypeId: number;
  valueTypeId: number;
  maxEntries: number;
  mapFlags: number;
  numaNode: number;
  pinning: number;
  mapExtra: bigint;
  inner: BpfMap | undefined;
  valuesMemberOffset: number;
}

/** `__uint(name, N)` is `int (*name)[N]`: the number is the array's element count. */
function fieldInt(btf: Btf, mapName: string, memberName: string, typeId: number): number {
  const p = skipModsAndTypedefs(btf, typeId).type;
  if (p?.kind !== "ptr") throw fail(`map '${mapName}': attr '${memberName}': expected PTR, got ${p?.kind ?? "?"}.`);
  const arr = btf.types[p.type];
  if (arr?.kind !== "array") throw fail(`map '${mapName}': attr '${memberName}': type [${p.type}] is not an array.`);
  return arr.nelems;
}

/** What the libbpf version reads in a map definition. */
export interface MapDefOptions {
  /** libbpf 1.7: `map_extra` may also be a one-value enum (`__ulong()`), read as a 64-bit number. */
  readonly mapExtraEnum: boolean;
}

/** libbpf get_map_field_long: `__uint()` as for fieldInt, or (libbpf 1.7) the single value of an enum. */
function fieldLong(btf: Btf, mapName: string, memberName: string, typeId: number, opts: MapDefOptions): bigint {
  const t = skipModsAndTypedefs(btf, typeId).type;
  if (!opts.mapExtraEnum || t?.kind === "ptr") return BigInt(fieldInt(btf, mapName, memberName, typeId));
  if (t?.kind !== "enum" && t?.kind !== "enum64") throw fail(`map '${mapName}': attr '${memberName}': expected ENUM or ENUM64, got ${t?.kind ?? "?"}.`);
  if (t.values.length !== 1) throw fail(`map '${mapName}': attr '${memberName}': invalid __ulong`);
  const v = (t.values[0] as { value: bigint }).value;
  // A 32-bit enum value is signed in libbpf's struct btf_enum: it widens with its sign.
  return t.kind === "enum" ? BigInt.asUintN(64, BigInt.asIntN(32, v)) : BigInt.asUintN(64, v);
}

function parseMapDef(btf: Btf, mapName: string, def: BtfComposite, isInner: boolean, opts: MapDefOptions): MutableDef {
  const d: MutableDef = {
    type: 0, keySize: 0, valueSize: 0, keyTypeId: 0, valueTypeId: 0, maxEntries: 0, mapFlags: 0, numaNode: 0,
    pinning: 0, mapExtra: 0n, inner: undefined, valuesMemberOffset: -1,
  };
  for (const m of def.members) {
    switch (m.name) {
      case "type": d.type = fieldInt(btf, mapName, m.name, m.type); break;
      case "max_entries": d.maxEntries = fieldInt(btf, mapName, m.name, m.type); break;
      case "map_flags": d.mapFlags = fieldInt(btf, mapName, m.name, m.type); break;
      case "numa_node": d.numaNode = fieldInt(btf, mapName, m.name, m.type); break;
      case "pinning":
        // libbpf: only LIBBPF_PIN_NONE and LIBBPF_PIN_BY_NAME, and never on an inner map definition.
        if (isInner) throw fail(`map '${mapName}': inner def can't be pinned.`);
        d.pinning = fieldInt(btf, mapName, m.name, m.type);
        if (d.pinning !== 0 && d.pinning !== 1) throw fail(`map '${mapName}': invalid pinning value ${d.pinning}.`);
        break;
      case "map_extra": d.mapExtra = fieldLong(btf, mapName, m.name, m.type, opts); break;
      case "key_size":
      case "value_size": {
        const sz = fieldInt(btf, mapName, m.name, m.type);
        const cur = m.name === "key_size" ? d.keySize : d.valueSize;
        if (cur && cur !== sz) throw fail(`map '${mapName}': conflicting ${m.name === "key_size" ? "key" : "value"} size ${cur} != ${sz}.`);
        if (m.name === "key_size") d.keySize = sz;
        else d.valueSize = sz;
        break;
      }
      case "key":
      case "value": {
        const p = skipModsAndTypedefs(btf, m.type).type;
        if (p?.kind !== "ptr") throw fail(`map '${mapName}': ${m.name} spec is not PTR: ${p?.kind ?? "?"}.`);
        const sz = resolveSize(btf, p.type);
        if (sz < 0) throw fail(`map '${mapName}': can't determine ${m.name} size for type [${p.type}]: ${sz}.`);
        if (m.name === "key") {
          if (d.keySize && d.keySize !== sz) throw fail(`map '${mapName}': conflicting key size ${d.keySize} != ${sz}.`);
          d.keySize = sz;
          d.keyTypeId = p.type;
        } else {
          if (d.valueSize && d.valueSize !== sz) throw fail(`map '${mapName}': conflicting value size ${d.valueSize} != ${sz}.`);
          d.valueSize = sz;
          d.valueTypeId = p.type;
        }
        break;
      }
      case "values": {
        // libbpf parse_btf_map_def's checks, in its order.
        const isMapInMap = d.type === MAP_TYPE.ARRAY_OF_MAPS || d.type === MAP_TYPE.HASH_OF_MAPS;
        const isProgArray = d.type === MAP_TYPE.PROG_ARRAY;
        const desc = isMapInMap ? "map-in-map inner" : "prog-array value";
        if (isInner) throw fail(`map '${mapName}': multi-level inner maps not supported.`, ERRNO.ENOTSUP);
        if (m !== def.members[def.members.length - 1]) throw fail(`map '${mapName}': '${m.name}' member should be last.`);
        if (!isMapInMap && !isProgArray) throw fail(`map '${mapName}': should be map-in-map or prog-array.`, ERRNO.ENOTSUP);
        if (d.valueSize && d.valueSize !== 4) throw fail(`map '${mapName}': conflicting value size ${d.valueSize} != 4.`);
        d.valueSize = 4;
        d.valuesMemberOffset = m.bitOffset / 8;
        const arr = btf.types[m.type];
        if (arr?.kind !== "array" || arr.nelems !== 0) throw fail(`map '${mapName}': ${desc} spec is not a zero-sized array.`);
        const p = skipModsAndTypedefs(btf, arr.type).type;
        if (p?.kind !== "ptr") throw fail(`map '${mapName}': ${desc} def is of unexpected kind ${p?.kind ?? "?"}.`);
        const target = skipModsAndTypedefs(btf, p.type).type;
        if (isProgArray) {
          if (target?.kind !== "func_proto") throw fail(`map '${mapName}': prog-array value def is of unexpected kind ${target?.kind ?? "?"}.`);
          break;
        }
        if (target?.kind !== "struct") throw fail(`map '${mapName}': map-in-map inner def is of unexpected kind ${target?.kind ?? "?"}.`);
        d.inner = userMap(btf, `${mapName}.inner`, parseMapDef(btf, `${mapName}.inner`, target, true, opts), -1, 0, []);
        break;
      }
      default:
        // libbpf 1.x is strict about unknown fields in `.maps` definitions.
        throw fail(`map '${mapName}': unknown field '${m.name}'.`, ERRNO.ENOTSUP);
    }
  }
  if (d.type === 0) throw fail(`map '${mapName}': map type isn't specified.`);
  return d;
}

function userMap(btf: Btf, name: string, d: MutableDef, shndx: number, off: number, slots: (string | undefined)[]): BpfMap {
  void btf;
  return {
    name, realName: name, kind: "user", type: d.type, typeName: mapTypeName(d.type), keySize: d.keySize, valueSize: d.valueSize,
    keyTypeId: d.keyTypeId, valueTypeId: d.valueTypeId, maxEntries: d.maxEntries, mapFlags: d.mapFlags, numaNode: d.numaNode,
    pinning: d.pinning, mapExtra: d.mapExtra, inner: d.inner, initSlots: slots, sectionIndex: shndx, sectionOffset: off,
    mmapable: false, data: undefined,
  };
}

/** Maps declared in `.maps`, in DATASEC order (sorted by offset), with `values` slots from `.rel.maps`. */
export function collectUserMaps(btf: Btf | undefined, elf: ElfFile, mapsSec: ElfSection | undefined, opts: MapDefOptions): BpfMap[] {
  if (!mapsSec) return [];
  if (!btf) throw fail("maps section requires BTF", ERRNO.EINVAL);
  const dsId = findDatasec(btf, ".maps");
  if (!dsId) throw fail(`DATASEC '.maps' not found.`);
  const ds = btf.type(dsId);
  if (ds.kind !== "datasec") throw fail(`DATASEC '.maps' not found.`);
  const fixup = ds.size === 0;
  const entries = ds.vars.map((vsi, i) => {
    const name = btf.nameOf(vsi.type);
    let off = vsi.offset;
    if (fixup) {
      const sym = elf.symbols.find((s) => s.shndx === mapsSec.index && s.name === name);
      if (sym) off = sym.value;
    }
    return { id: vsi.type, name, off, size: vsi.size, i };
  });
  entries.sort((a, b) => a.off - b.off || a.i - b.i);

  const rels = relsFor(elf, mapsSec);
  const maps: BpfMap[] = [];
  // libbpf bpf_object__init_user_btf_map's checks, in its order, one variable after the other.
  for (const [index, { id, name, off, size }] of entries.entries()) {
    if (name === "") throw fail(`map #${index}: empty name.`);
    if (off + size > mapsSec.size) throw fail(`map '${name}' BTF data is corrupted.`);
    const v = btf.types[id];
    if (v?.kind !== "var") throw fail(`map '${name}': unexpected var kind ${v?.kind ?? "?"}.`);
    // Only global maps: a `static` map is as unsupported as an `extern` one.
    if (v.linkage !== 1) throw fail(`map '${v.name}': unsupported map linkage ${LINKAGE_NAMES[v.linkage] ?? "unknown"}.`, ERRNO.ENOTSUP);
    const def = skipModsAndTypedefs(btf, v.type).type;
    if (def?.kind !== "struct") throw fail(`map '${v.name}': unexpected def kind ${def?.kind ?? "?"}.`);
    if (def.size > size) throw fail(`map '${v.name}': invalid def size.`);
    const d = parseMapDef(btf, v.name, def, false, opts);
    const slots: (string | undefined)[] = [];
    if (d.valuesMemberOffset >= 0) {
      for (const r of rels) {
        if (r.offset < off || r.offset >= off + size) continue;
        const idx = (r.offset - off - d.valuesMemberOffset) / btf.pointerSize;
        if (!Number.isInteger(idx) || idx < 0 || idx > 0xffff) continue;
        while (slots.length <= idx) slots.push(undefined);
        slots[idx] = elf.symbols[r.symbol]?.name;
      }
    }
    maps.push(userMap(btf, v.name, d, mapsSec.index, off, slots));
  }
  return maps;
}

function relsFor(elf: ElfFile, target: ElfSection) {
  const rel = elf.sections.find((s) => s.type === 9 && s.info === target.index);
  return rel ? elf.rels(rel) : [];
}

/** One STRUCT_OPS map per variable of a struct_ops section; `.struct_ops.link` maps get BPF_F_LINK. */
export function collectStructOpsMaps(btf: Btf | undefined, elf: ElfFile, sec: ElfSection): BpfMap[] {
  if (!btf) throw fail(`struct_ops section '${sec.name}' requires BTF`);
  const dsId = findDatasec(btf, sec.name);
  if (!dsId) throw fail(`struct_ops init: DATASEC ${sec.name} not found`);
  const ds = btf.type(dsId);
  if (ds.kind !== "datasec") return [];
  const link = sec.name.replace(/^\?/, "") === ".struct_ops.link";
  const out: BpfMap[] = [];
  const vars = ds.vars.map((vsi, i) => {
    const v = btf.types[vsi.type];
    const sym = v ? elf.symbols.find((s) => s.shndx === sec.index && s.name === v.name) : undefined;
    return { vsi, v, off: ds.size === 0 && sym ? sym.value : vsi.offset, i };
  });
  vars.sort((a, b) => a.off - b.off || a.i - b.i);
  for (const { v, off } of vars) {
    if (v?.kind !== "var") continue;
    // btf__resolve_type: skip the VAR, modifiers and typedefs.
    const { id: typeId, type } = skipModsAndTypedefs(btf, v.type);
    if (type?.kind !== "struct") throw fail(`struct_ops init: DATASEC ${sec.name} var ${v.name} is not a struct`);
    out.push({
      name: v.name, realName: v.name, kind: "struct_ops", type: MAP_TYPE.STRUCT_OPS, typeName: mapTypeName(MAP_TYPE.STRUCT_OPS),
      keySize: 4, valueSize: type.size, keyTypeId: 0, valueTypeId: typeId, maxEntries: 1, mapFlags: link ? BPF_F_LINK : 0,
      numaNode: 0, pinning: 0, mapExtra: 0n, inner: undefined, initSlots: [], sectionIndex: sec.index,
      sectionOffset: off, mmapable: false, data: undefined,
    });
  }
  return out;
}
