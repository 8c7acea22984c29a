// The libbpf view of an object: programs, maps and data sections as openObject() sees them for the profile.

import type { BpfMap, BpfObject } from "../../core/object/types.js";
import { alignOf } from "./ctype.js";
import { datasecIdent } from "./btf-view.js";
import type { ObjectInfo, VarInfo } from "./object-info.js";

function innerDesc(m: BpfMap): string {
  return `${m.typeName}, key ${m.keySize} B, value ${m.valueSize} B, max_entries ${m.maxEntries}`;
}

/** Replaces the BTF-only view with libbpf's (exact offsets, .kconfig layout, profile rules), keeping BTF.ext data. */
export function applyModel(info: ObjectInfo, model: BpfObject): void {
  const btf = info.btf;
  const byName = new Map(info.programs.map((p) => [`${p.section}\u0000${p.name}`, p]));
  info.programs = model.programs.map((p) => {
    const own = byName.get(`${p.sectionName}\u0000${p.name}`);
    return {
      name: p.name,
      section: p.sectionName,
      progType: p.progTypeName,
      attachType: p.expectedAttachTypeName || undefined,
      sleepable: p.sleepable,
      autoload: p.autoload,
      insnCount: p.insnCount,
      global: p.global,
      funcId: own?.funcId ?? 0,
      loc: own?.loc,
    };
  });
  const ownMaps = new Map(info.maps.map((m) => [m.name, m]));
  info.maps = model.maps
    .filter((m) => m.kind === "user" || m.kind === "struct_ops")
    .map((m) => ({
      name: m.realName,
      type: m.type,
      typeName: m.typeName,
      keyTypeId: m.keyTypeId,
      valueTypeId: m.valueTypeId,
      keySize: m.keySize,
      valueSize: m.valueSize,
      maxEntries: m.maxEntries,
      flags: m.mapFlags,
      pinning: m.pinning,
      mapExtra: m.mapExtra,
      innerTypeId: ownMaps.get(m.realName)?.innerTypeId ?? 0,
      innerDesc: m.inner ? innerDesc(m.inner) : undefined,
      varId: ownMaps.get(m.realName)?.varId ?? 0,
      section: model.elf.sections[m.sectionIndex]?.name ?? ".maps",
    }));
  const modelSecs = new Map(model.datasecs.map((d) => [d.name, d]));
  const mmapable = new Set(model.maps.filter((m) => m.data && m.mmapable).map((m) => m.realName));
  info.datasecs = info.datasecs.map((own) => {
    const d = modelSecs.get(own.name);
    if (!d) {
      const reason = own.reason ?? (own.ident ? `libbpf ${info.profile.libbpfVersion} does not make ${own.name} a map` : undefined);
      return { ...own, ident: undefined, reason, vars: own.vars.map((v) => ({ ...v, exposed: false, skelAccessor: undefined, reason: v.reason ?? reason })) };
    }
    const ident = own.ident && mmapable.has(d.name) ? own.ident : undefined;
    const vars: VarInfo[] = d.vars.map((v) => {
      let why: string | undefined;
      if (!ident) why = own.reason ?? `section ${d.name} is not a data section the skeleton maps`;
      else if (v.linkage === "static") why = "static variables are not exposed by the skeleton";
      else if (v.skipped && v.linkage === "hidden") why = `hidden visibility (__hidden): bpftool ${info.profile.bpftoolVersion} treats it as static`;
      else if (v.skipped) why = `libbpf ${info.profile.libbpfVersion} leaves it out`;
      return {
        name: v.name,
        section: d.name,
        varId: v.varId,
        typeId: v.typeId,
        offset: v.offset,
        size: v.size,
        align: (btf ? alignOf(btf, v.typeId) : undefined) ?? 1,
        linkage: v.linkage,
        exposed: why === undefined,
        reason: why,
        skelAccessor: why === undefined && ident ? `skel->${ident}->${v.name}` : undefined,
      };
    });
    vars.sort((a, b) => a.offset - b.offset);
    return { name: d.name, id: d.btfId || own.id, size: d.size, ident, reason: own.reason, vars };
  });
  // .kconfig has no DATASEC-backed ELF section; add it when libbpf made one and BTF had none.
  for (const d of model.datasecs) {
    if (info.datasecs.some((x) => x.name === d.name)) continue;
    const ident = datasecIdent(d.name, info.profile).ident;
    info.datasecs.push({
      name: d.name,
      id: d.btfId,
      size: d.size,
      ident,
      reason: undefined,
      vars: d.vars.map((v) => ({
        name: v.name,
        section: d.name,
        varId: v.varId,
        typeId: v.typeId,
        offset: v.offset,
        size: v.size,
        align: (btf ? alignOf(btf, v.typeId) : undefined) ?? 1,
        linkage: v.linkage,
        exposed: !v.skipped && !!ident,
        reason: v.skipped ? "left out by libbpf" : undefined,
        skelAccessor: !v.skipped && ident ? `skel->${ident}->${v.name}` : undefined,
      })),
    });
  }
}
