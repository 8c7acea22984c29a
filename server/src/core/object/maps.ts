// BTF-defined maps from `.maps` (parse_btf_map_def), struct_ops maps, and map-in-map/prog-array initial values.

import type { Btf } from "../btf/parse.js";
import type { BtfComposite } from "../btf/types.js";
import type { ElfFile, ElfSection } from "../elf/elf.js";
import { ERRNO, BtfLensError } from "../errors.js";
import { findDatasec, resolveSize, skipModsAndTypedefs } from "./btf-util.js";
import { MAP_TYPE, mapTypeName } from "./sec-defs.js";
import type { BpfMap } from "./types.js";

const BPF_F_LINK = 1 << 13;

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

function parseMapDef(btf: Btf, mapName: string, def: BtfComposite, isInner: boolean): MutableDef {
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
      case "map_extra": d.mapExtra = BigInt(fieldInt(btf, mapName, m.name, m.type)); break;
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
        if (isInner) throw fail(`map '${mapName}': multi-level inner maps not supported.`, ERRNO.ENOTSUP);
        d.valuesMemberOffset = m.bitOffset / 8;
        const arr = btf.types[m.type];
        if (arr?.kind !== "array") throw fail(`map '${mapName}': values spec is not an array.`);
        const p = skipModsAndTypedefs(btf, arr.type).type;
        if (p?.kind !== "ptr") throw fail(`map '${mapName}': values spec is not an array of pointers.`);
        const target = skipModsAndTypedefs(btf, p.type).type;
        if (target?.kind === "func_proto") {
          if (d.type !== MAP_TYPE.PROG_ARRAY) throw fail(`map '${mapName}': should be map type prog_array to hold programs.`);
        } else if (target?.kind === "struct") {
          d.inner = userMap(btf, `${mapName}.inner`, parseMapDef(btf, `${mapName}.inner`, target, true), -1, 0, []);
        } else {
          throw fail(`map '${mapName}': values spec is not a func proto or struct.`);
        }
        d.valueSize = 4;
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
export function collectUserMaps(btf: Btf | undefined, elf: ElfFile, mapsSec: ElfSection | undefined): BpfMap[] {
  if (!mapsSec) return [];
  if (!btf) throw fail("maps section requires BTF", ERRNO.EINVAL);
  const dsId = findDatasec(btf, ".maps");
  if (!dsId) throw fail(`DATASEC '.maps' not found.`);
  const ds = btf.type(dsId);
  if (ds.kind !== "datasec") throw fail(`DATASEC '.maps' not found.`);
  const fixup = ds.size === 0;
  const entries = ds.vars.map((vsi, i) => {
    const v = btf.types[vsi.type];
    if (v?.kind !== "var") throw fail(`map #${i}: unexpected var kind ${v?.kind ?? "?"}.`);
    let off = vsi.offset;
    if (fixup) {
      const sym = elf.symbols.find((s) => s.shndx === mapsSec.index && s.name === v.name);
      if (sym) off = sym.value;
    }
    return { v, off, size: vsi.size, i };
  });
  entries.sort((a, b) => a.off - b.off || a.i - b.i);

  const rels = relsFor(elf, mapsSec);
  const maps: BpfMap[] = [];
  for (const { v, off, size } of entries) {
    const def = skipModsAndTypedefs(btf, v.type).type;
    if (def?.kind !== "struct") throw fail(`map '${v.name}': unexpected def kind ${def?.kind ?? "?"}.`);
    if (v.linkage !== 0 && v.linkage !== 1) throw fail(`map '${v.name}': unsupported map linkage extern.`, ERRNO.ENOTSUP);
    const d = parseMapDef(btf, v.name, def, false);
    const slots: (string | undefined)[] = [];
    if (d.valuesMemberOffset >= 0) {
      for (const r of rels) {
        if (r.offset < off || r.offset >= off + Math.max(size, def.size)) continue;
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
