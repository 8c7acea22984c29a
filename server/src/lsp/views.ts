// Pure builders for the custom requests: object summary, tree, layout nodes and the named-type list.

import type {
  DatasecNode,
  LayoutNode,
  MapNode,
  ObjectSummary,
  ProgramSectionGroup,
  TypeEntry,
  TypeKindName,
} from "../protocol.js";
import { type DatasecLayout, layoutObject } from "../core/layout/index.js";
import type { CTypes } from "./model/ctype.js";
import type { ObjectInfo } from "./model/object-info.js";
import type { Location } from "vscode-languageserver-protocol";

export const CACHE_LINE = 64;

export function summary(info: ObjectInfo, uri: string, sources: string[], mtimeMs: number, size: number): ObjectSummary {
  const s: ObjectSummary = {
    uri,
    path: info.path,
    name: info.name,
    format: info.format,
    sources,
    hasBtf: info.hasBtf,
    programCount: info.programs.length,
    mapCount: info.maps.length + info.datasecs.filter((d) => d.ident).length,
    datasecCount: info.datasecs.length,
    typeCount: info.btf ? info.btf.count - 1 : 0,
    mtimeMs,
    size,
  };
  if (info.error !== undefined) s.error = info.error;
  return s;
}

export type Locate = (kind: "prog" | "map" | "var", name: string) => Location | undefined;

export function programGroups(info: ObjectInfo, locate: Locate): ProgramSectionGroup[] {
  const groups = new Map<string, ProgramSectionGroup>();
  for (const p of info.programs) {
    let g = groups.get(p.section);
    if (!g) groups.set(p.section, (g = { section: p.section, programs: [] }));
    const loc = locate("prog", p.name);
    g.programs.push({
      name: p.name,
      section: p.section,
      progType: p.progType,
      ...(p.attachType ? { attachType: p.attachType } : {}),
      insnCount: p.insnCount,
      autoload: p.autoload,
      sleepable: p.sleepable,
      skelProg: `skel->progs.${p.name}`,
      skelLink: `skel->links.${p.name}`,
      ...(loc ? { location: loc } : {}),
    });
  }
  return [...groups.values()];
}

export function mapNodes(info: ObjectInfo, c: CTypes | undefined, locate: Locate): MapNode[] {
  const out: MapNode[] = [];
  for (const m of info.maps) {
    const loc = locate("map", m.name);
    const n: MapNode = {
      name: m.name,
      type: m.typeName,
      keySize: m.keySize,
      valueSize: m.valueSize,
      maxEntries: m.maxEntries,
      flags: m.flags,
      pinning: m.pinning,
      skelAccessor: `skel->maps.${m.name}`,
    };
    if (c && m.keyTypeId) n.keyType = c.decl(m.keyTypeId);
    if (c && m.valueTypeId) n.valueType = c.decl(m.valueTypeId);
    if (m.mapExtra !== 0n) n.mapExtra = `0x${m.mapExtra.toString(16)}`;
    if (c && m.innerTypeId) n.innerMap = c.decl(m.innerTypeId);
    if (loc) n.location = loc;
    out.push(n);
  }
  // Data-section maps: flags (BPF_F_RDONLY_PROG, BPF_F_MMAPABLE) as libbpf sets them.
  const internal = new Map((info.model?.maps ?? []).filter((m) => m.data).map((m) => [m.realName, m]));
  for (const d of info.datasecs) {
    if (!d.ident) continue;
    out.push({
      name: d.name,
      type: "array",
      keySize: 4,
      valueSize: internal.get(d.name)?.valueSize ?? d.size,
      maxEntries: 1,
      flags: internal.get(d.name)?.mapFlags ?? 0,
      pinning: 0,
      section: d.name,
      skelAccessor: `skel->maps.${d.ident}`,
    });
  }
  return out;
}

export function datasecNodes(info: ObjectInfo, c: CTypes | undefined, locate: Locate): DatasecNode[] {
  return info.datasecs.map((d) => ({
    name: d.name,
    size: d.size,
    ...(d.ident ? { skelAccessor: `skel->${d.ident}` } : {}),
    variables: d.vars.map((v) => {
      const loc = locate("var", v.name);
      return {
        name: v.name,
        cType: c ? c.decl(v.typeId) : "",
        declaration: c ? c.decl(v.typeId, v.name) : v.name,
        offset: v.offset,
        size: v.size,
        align: v.align,
        linkage: v.linkage,
        exposed: v.exposed,
        ...(v.skelAccessor ? { skelAccessor: v.skelAccessor } : {}),
        ...(v.reason ? { notExposedReason: v.reason } : {}),
        ...(loc ? { location: loc } : {}),
      };
    }),
  }));
}

export function layoutNodes(info: ObjectInfo, c: CTypes | undefined, locate: Locate, only?: string): LayoutNode[] {
  const nodes: LayoutNode[] = [];
  const line = (off: number): number => Math.floor(off / CACHE_LINE);
  const push = (n: Omit<LayoutNode, "id" | "cacheLine" | "cacheLineEnd">): number => {
    const id = nodes.length;
    nodes.push({ id, ...n, cacheLine: line(n.offset), cacheLineEnd: line(n.offset + Math.max(1, n.size) - 1) });
    return id;
  };
  // Sections libbpf maps are laid out by the core (shared with the skeleton: same C type names, same holes).
  let core: DatasecLayout[] = [];
  try {
    core = info.model ? layoutObject(info.model) : [];
  } catch {
    core = [];
  }
  for (const d of info.datasecs) {
    if (only !== undefined && d.name !== only) continue;
    if (d.name === "license" || d.name === ".ksyms") continue;
    const lay = core.find((l) => l.section === d.name);
    if (lay) {
      const exposed = new Map(d.vars.map((v) => [`${v.name}@${v.offset}`, v.exposed]));
      const align = lay.vars.reduce((a, v) => Math.max(a, v.align), 1);
      const parent = push({ kind: "section", section: d.name, name: d.name, cType: "", offset: 0, size: lay.size, align });
      let at = 0;
      for (const v of lay.vars) {
        if (v.holeBefore > 0) push({ parent, kind: "padding", section: d.name, name: "", cType: "", offset: at, size: v.holeBefore, align: 1 });
        const loc = locate("var", v.name);
        push({
          parent,
          kind: "variable",
          section: d.name,
          name: v.name,
          cType: v.cType,
          offset: v.offset,
          size: v.size,
          align: Math.max(1, v.align),
          exposed: exposed.get(`${v.name}@${v.offset}`) ?? !v.var.skipped,
          ...(loc ? { location: loc } : {}),
        });
        at = Math.max(at, v.offset + v.size);
      }
      if (lay.tailPadding > 0) push({ parent, kind: "padding", section: d.name, name: "", cType: "", offset: at, size: lay.tailPadding, align: 1 });
      continue;
    }
    const align = d.vars.reduce((a, v) => Math.max(a, v.align), 1);
    const parent = push({ kind: "section", section: d.name, name: d.name, cType: "", offset: 0, size: d.size, align });
    let at = 0;
    for (const v of d.vars) {
      if (v.offset > at) push({ parent, kind: "padding", section: d.name, name: "", cType: "", offset: at, size: v.offset - at, align: 1 });
      const loc = locate("var", v.name);
      push({
        parent,
        kind: "variable",
        section: d.name,
        name: v.name,
        cType: c ? c.decl(v.typeId) : "",
        offset: v.offset,
        size: v.size,
        align: v.align,
        exposed: v.exposed,
        ...(loc ? { location: loc } : {}),
      });
      at = Math.max(at, v.offset + v.size);
    }
    if (d.size > at) push({ parent, kind: "padding", section: d.name, name: "", cType: "", offset: at, size: d.size - at, align: 1 });
  }
  return nodes;
}

const DEFAULT_KINDS: ReadonlySet<string> = new Set(["struct", "union", "enum", "enum64", "typedef", "fwd", "func", "int", "float"]);
/** Kind numbers worth listing: INT, STRUCT, UNION, ENUM, FWD, TYPEDEF, FUNC, FLOAT, ENUM64 (skips VAR, DATASEC, modifiers). */
/** Protocol kind names by BTF_KIND_* number. */
const KIND_NAMES = ["void", "int", "ptr", "array", "struct", "union", "enum", "fwd", "typedef", "volatile", "const",
  "restrict", "func", "func_proto", "var", "datasec", "float", "decl_tag", "type_tag", "enum64"] as const;
const NAMED_KINDS: ReadonlySet<number> = new Set([1, 4, 5, 6, 7, 8, 12, 16, 19]);
const sortedTypes = new WeakMap<object, TypeEntry[]>();

/** Named types sorted by name then id (memoised per BTF, so quick picks on vmlinux stay fast). */
export function namedTypes(info: ObjectInfo): TypeEntry[] {
  const btf = info.btf;
  if (!btf) return [];
  let list = sortedTypes.get(btf);
  if (!list) {
    list = [];
    for (let id = 1; id < btf.count; id++) {
      const k = btf.kinds[id] ?? 0;
      if (!NAMED_KINDS.has(k)) continue;
      const name = btf.nameOf(id);
      if (name === "") continue;
      list.push({ id, name, kind: KIND_NAMES[k] as TypeKindName });
    }
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
    sortedTypes.set(btf, list);
  }
  return list;
}

export function filterTypes(all: TypeEntry[], kinds: TypeKindName[] | undefined, query: string | undefined): TypeEntry[] {
  const ks: ReadonlySet<string> = kinds ? new Set(kinds) : DEFAULT_KINDS;
  const q = query?.toLowerCase();
  return all.filter((t) => ks.has(t.kind) && (q === undefined || q === "" || t.name.toLowerCase().includes(q)));
}
