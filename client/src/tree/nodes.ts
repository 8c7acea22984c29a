// Builds the explorer's node models from protocol responses (pure: no vscode import, unit-tested).

import type {
  DatasecNode,
  MapNode,
  ObjectSummary,
  ObjectTree,
  ProgramNode,
  ProgramSectionGroup,
  TypeEntry,
  TypeKindName,
  VariableNode,
} from "../../../server/src/protocol.js";
import { label, mdCode, mdCodeBlock, mdText } from "../escape.js";
import type { Location } from "vscode-languageserver-protocol";

export type NodeKind =
  | "object"
  | "programs"
  | "programSection"
  | "program"
  | "maps"
  | "map"
  | "datasecs"
  | "datasec"
  | "variable"
  | "types"
  | "typeKind"
  | "typePage"
  | "type"
  | "message";

/** One row of the explorer. Strings are display-ready: `label`/`description` plain text, `tooltip` escaped markdown. */
export interface NodeModel {
  /** Stable across refreshes (keeps expansion state) and unique in the tree. */
  id: string;
  kind: NodeKind;
  objectUri: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** Codicon id. */
  icon: string;
  /** `contextValue` for menus: the kind plus capabilities, e.g. "object skeleton layout". */
  contextValue: string;
  collapsible: boolean;
  expanded?: boolean;
  /** Where a click goes. */
  location?: Location;
  /** What "Copy Skeleton Accessor" copies. */
  accessor?: string;
  /** Data section name (datasec, variable). */
  section?: string;
  /** The raw name from the object (variables, types): for requests, never for display. */
  name?: string;
  /** Type id (type nodes). */
  typeId?: number;
  /** Children known up front; undefined for nodes that are expanded lazily (object, types). */
  children?: NodeModel[];
  /** Type kind group / page: which entries of the type list (index range into the kind's sorted entries). */
  typeKind?: TypeKindName;
  range?: { start: number; end: number };
}

/** Types per page under a kind group: a vmlinux has 100,000+ types, so rows are created only for the opened page. */
export const TYPE_PAGE_SIZE = 500;

/** Last path segment of a file URI, decoded. */
export function uriBaseName(uri: string): string {
  const seg = uri.replace(/[?#].*$/, "").replace(/\/+$/, "").split("/").pop() ?? uri;
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function objectNode(o: ObjectSummary): NodeModel {
  const sources = o.sources.map(uriBaseName);
  let description: string;
  if (o.error !== undefined) description = "error";
  else if (o.format === "raw-btf") description = `raw BTF · ${plural(o.typeCount, "type", "types")}`;
  else if (!o.hasBtf) description = "no BTF";
  else description = sources.length > 0 ? sources.join(", ") : uriBaseName(o.uri);
  const lines = [
    `**${mdText(o.name)}** ${mdText(o.format === "elf" ? "(ELF object)" : "(raw BTF)")}`,
    "",
    mdText(o.path),
  ];
  if (sources.length > 0) lines.push("", `Sources: ${sources.map(mdCode).join(", ")}`);
  if (o.error !== undefined) lines.push("", `Error: ${mdText(o.error)}`);
  else if (!o.hasBtf) lines.push("", mdText("The object has no .BTF section: compile it with clang -g."));
  else
    lines.push(
      "",
      mdText(
        `${plural(o.programCount, "program", "programs")}, ${plural(o.mapCount, "map", "maps")}, ` +
          `${plural(o.datasecCount, "data section", "data sections")}, ${plural(o.typeCount, "type", "types")}`,
      ),
    );
  const caps = ["object"];
  if (o.format === "elf" && o.error === undefined && o.hasBtf) caps.push("skeleton", "layout");
  return {
    id: o.uri,
    kind: "object",
    objectUri: o.uri,
    label: label(o.name),
    description: label(description),
    tooltip: lines.join("\n"),
    icon: o.error !== undefined ? "error" : o.format === "raw-btf" ? "file-binary" : "package",
    contextValue: caps.join(" "),
    collapsible: true,
  };
}

/** The groups under an object: Programs, Maps, Data sections (from the tree request) and Types (lazy). */
export function objectChildren(tree: ObjectTree.Result, typesSupported: boolean): NodeModel[] {
  const uri = tree.object.uri;
  if (tree.error !== undefined) return [messageNode(uri, `${uri}#error`, tree.error, "error")];
  const out: NodeModel[] = [];
  const programCount = tree.programs.reduce((n, g) => n + g.programs.length, 0);
  if (tree.object.format === "elf") {
    out.push({
      id: `${uri}#programs`,
      kind: "programs",
      objectUri: uri,
      label: "Programs",
      description: String(programCount),
      icon: "symbol-event",
      contextValue: "programs",
      collapsible: programCount > 0,
      children: tree.programs.map((g, i) => programSectionNode(uri, g, i)),
    });
    out.push({
      id: `${uri}#maps`,
      kind: "maps",
      objectUri: uri,
      label: "Maps",
      description: String(tree.maps.length),
      icon: "symbol-namespace",
      contextValue: "maps",
      collapsible: tree.maps.length > 0,
      children: tree.maps.map((m, i) => mapNode(uri, m, i)),
    });
    out.push({
      id: `${uri}#datasecs`,
      kind: "datasecs",
      objectUri: uri,
      label: "Data sections",
      description: String(tree.datasecs.length),
      icon: "symbol-structure",
      contextValue: "datasecs layout",
      collapsible: tree.datasecs.length > 0,
      children: tree.datasecs.map((d, i) => datasecNode(uri, d, i)),
    });
  }
  if (typesSupported) {
    out.push({
      id: `${uri}#types`,
      kind: "types",
      objectUri: uri,
      label: "Types",
      description: String(tree.object.typeCount),
      icon: "symbol-class",
      contextValue: "types",
      collapsible: tree.object.typeCount > 0,
    });
  }
  return out;
}

export function messageNode(objectUri: string, id: string, text: string, icon = "info"): NodeModel {
  return {
    id,
    kind: "message",
    objectUri,
    label: label(text),
    tooltip: mdText(text),
    icon,
    contextValue: "message",
    collapsible: false,
  };
}

function programSectionNode(uri: string, g: ProgramSectionGroup, i: number): NodeModel {
  const id = `${uri}#programs/${i}:${g.section}`;
  const types = [...new Set(g.programs.map((p) => p.progType))];
  return {
    id,
    kind: "programSection",
    objectUri: uri,
    label: label(g.section),
    description: label(types.join(", ")),
    tooltip: `Section ${mdCode(g.section)}: ${mdText(plural(g.programs.length, "program", "programs"))}`,
    icon: "symbol-module",
    contextValue: "programSection",
    collapsible: g.programs.length > 0,
    expanded: true,
    children: g.programs.map((p, j) => programNode(uri, id, p, j)),
  };
}

export function programNode(uri: string, parentId: string, p: ProgramNode, i: number): NodeModel {
  const flags = [p.autoload ? "" : "not autoloaded", p.sleepable ? "sleepable" : ""].filter((s) => s !== "");
  const type = p.attachType !== undefined ? `${p.progType} (${p.attachType})` : p.progType;
  const tip = [
    `**${mdText(p.name)}**`,
    "",
    `Section ${mdCode(p.section)}, program type ${mdCode(p.progType)}` +
      (p.attachType !== undefined ? `, attach type ${mdCode(p.attachType)}` : ""),
    "",
    mdText(`${plural(p.insnCount, "instruction", "instructions")}${flags.length > 0 ? `, ${flags.join(", ")}` : ""}`),
    "",
    `Skeleton: ${mdCode(p.skelProg)}, ${mdCode(p.skelLink)}`,
  ];
  return withLocation(
    {
      id: `${parentId}/${i}:${p.name}`,
      kind: "program",
      objectUri: uri,
      label: label(p.name),
      description: label(type),
      tooltip: tip.join("\n"),
      icon: "symbol-method",
      contextValue: "program accessor",
      collapsible: false,
      accessor: p.skelProg,
    },
    p.location,
  );
}

/** `hash, __u32 -> struct event`; sizes when the map has no BTF for key or value; just the type when both are 0. */
export function mapDescription(m: MapNode): string {
  const key = m.keyType ?? (m.keySize > 0 ? `${m.keySize} B` : undefined);
  const value = m.valueType ?? (m.valueSize > 0 ? `${m.valueSize} B` : undefined);
  if (key === undefined && value === undefined) return m.type;
  return `${m.type}, ${key ?? "-"} -> ${value ?? "-"}`;
}

export function mapNode(uri: string, m: MapNode, i: number): NodeModel {
  const rows: [string, string][] = [
    ["type", m.type],
    ["key", m.keyType ?? `${m.keySize} B`],
    ["value", m.valueType ?? `${m.valueSize} B`],
    ["max_entries", String(m.maxEntries)],
  ];
  if (m.flags !== 0) rows.push(["flags", `0x${m.flags.toString(16)}`]);
  if (m.pinning !== 0) rows.push(["pinning", String(m.pinning)]);
  if (m.mapExtra !== undefined) rows.push(["map_extra", m.mapExtra]);
  if (m.innerMap !== undefined) rows.push(["inner map", m.innerMap]);
  if (m.section !== undefined) rows.push(["section", m.section]);
  const tip = [`**${mdText(m.name)}**`, "", ...rows.map(([k, v]) => `${mdText(k)}: ${mdCode(v)}  `)];
  tip.push("", m.skelAccessor !== undefined ? `Skeleton: ${mdCode(m.skelAccessor)}` : mdText("Not in the skeleton."));
  return withLocation(
    {
      id: `${uri}#maps/${i}:${m.name}`,
      kind: "map",
      objectUri: uri,
      label: label(m.name),
      description: label(mapDescription(m)),
      tooltip: tip.join("\n"),
      icon: "symbol-array",
      contextValue: m.skelAccessor !== undefined ? "map accessor" : "map",
      collapsible: false,
      ...(m.skelAccessor !== undefined ? { accessor: m.skelAccessor } : {}),
    },
    m.location,
  );
}

export function datasecNode(uri: string, d: DatasecNode, i: number): NodeModel {
  const id = `${uri}#datasecs/${i}:${d.name}`;
  return {
    id,
    kind: "datasec",
    objectUri: uri,
    label: label(d.name),
    description: `${d.size} B · ${plural(d.variables.length, "variable", "variables")}`,
    tooltip:
      `Data section ${mdCode(d.name)}, ${mdText(`${d.size} bytes`)}` +
      (d.skelAccessor !== undefined ? `\n\nSkeleton: ${mdCode(d.skelAccessor)}` : ""),
    icon: "symbol-structure",
    contextValue: d.skelAccessor !== undefined ? "datasec layout accessor" : "datasec layout",
    collapsible: d.variables.length > 0,
    section: d.name,
    ...(d.skelAccessor !== undefined ? { accessor: d.skelAccessor } : {}),
    children: d.variables.map((v, j) => variableNode(uri, id, d.name, v, j)),
  };
}

/** `offset 8 · 4 B` */
export function variableDescription(v: VariableNode): string {
  return `offset ${v.offset} · ${v.size} B`;
}

export function variableNode(uri: string, parentId: string, section: string, v: VariableNode, i: number): NodeModel {
  const tip = [
    mdCodeBlock("c", `${v.declaration};`),
    "",
    mdText(`${section}: offset ${v.offset}, size ${v.size}, align ${v.align}, ${v.linkage}`),
    "",
    v.exposed && v.skelAccessor !== undefined
      ? `Skeleton: ${mdCode(v.skelAccessor)}`
      : mdText(`Not in the skeleton${v.notExposedReason !== undefined ? `: ${v.notExposedReason}` : ""}.`),
  ];
  const hasAccessor = v.exposed && v.skelAccessor !== undefined;
  return withLocation(
    {
      id: `${parentId}/${i}:${v.name}`,
      kind: "variable",
      objectUri: uri,
      label: label(v.name),
      description: variableDescription(v),
      tooltip: tip.join("\n"),
      icon: "symbol-variable",
      contextValue: hasAccessor ? "variable layout accessor" : "variable layout",
      collapsible: false,
      section,
      name: v.name,
      ...(hasAccessor && v.skelAccessor !== undefined ? { accessor: v.skelAccessor } : {}),
    },
    v.location,
  );
}

function withLocation(n: NodeModel, loc: Location | undefined): NodeModel {
  return loc !== undefined ? { ...n, location: loc } : n;
}

/** Order of the kind groups under Types. */
const KIND_ORDER: TypeKindName[] = ["struct", "union", "enum", "enum64", "typedef", "fwd", "func", "int", "float"];

/** Splits a type list into kind groups (sorted entries per kind). */
export function groupTypesByKind(types: readonly TypeEntry[]): Map<TypeKindName, TypeEntry[]> {
  const groups = new Map<TypeKindName, TypeEntry[]>();
  for (const t of types) {
    let g = groups.get(t.kind);
    if (g === undefined) groups.set(t.kind, (g = []));
    g.push(t);
  }
  for (const g of groups.values()) g.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
  const ordered = new Map<TypeKindName, TypeEntry[]>();
  for (const k of KIND_ORDER) {
    const g = groups.get(k);
    if (g !== undefined) ordered.set(k, g);
  }
  for (const [k, g] of groups) if (!ordered.has(k)) ordered.set(k, g);
  return ordered;
}

export function typeKindNodes(uri: string, groups: Map<TypeKindName, TypeEntry[]>): NodeModel[] {
  return [...groups].map(([kind, entries]) => ({
    id: `${uri}#types/${kind}`,
    kind: "typeKind",
    objectUri: uri,
    label: kind,
    description: String(entries.length),
    icon: "symbol-folder",
    contextValue: "typeKind",
    collapsible: entries.length > 0,
    typeKind: kind,
    range: { start: 0, end: entries.length },
  }));
}

/** The rows under a kind group or a page: the types themselves when they fit a page, else pages of TYPE_PAGE_SIZE. */
export function typeRangeChildren(
  uri: string,
  kind: TypeKindName,
  entries: readonly TypeEntry[],
  range: { start: number; end: number },
): NodeModel[] {
  const start = Math.max(0, Math.min(range.start, entries.length));
  const end = Math.max(start, Math.min(range.end, entries.length));
  if (end - start <= TYPE_PAGE_SIZE) {
    const out: NodeModel[] = [];
    for (let i = start; i < end; i++) out.push(typeNode(uri, entries[i]!));
    return out;
  }
  // Pages of TYPE_PAGE_SIZE, or pages of pages when there are more than TYPE_PAGE_SIZE pages.
  let step = TYPE_PAGE_SIZE;
  while ((end - start) / step > TYPE_PAGE_SIZE) step *= TYPE_PAGE_SIZE;
  const out: NodeModel[] = [];
  for (let s = start; s < end; s += step) {
    const e = Math.min(end, s + step);
    const first = entries[s]!;
    const last = entries[e - 1]!;
    out.push({
      id: `${uri}#types/${kind}/${s}-${e}`,
      kind: "typePage",
      objectUri: uri,
      label: `${label(first.name, 40)} … ${label(last.name, 40)}`,
      description: `${s + 1}–${e}`,
      icon: "list-flat",
      contextValue: "typePage",
      collapsible: true,
      typeKind: kind,
      range: { start: s, end: e },
    });
  }
  return out;
}

export function typeNode(uri: string, t: TypeEntry): NodeModel {
  return {
    id: `${uri}#type/${t.id}`,
    kind: "type",
    objectUri: uri,
    label: label(t.name),
    description: `${t.kind} [${t.id}]`,
    tooltip: `${mdText(t.kind)} ${mdCode(t.name)} ${mdText(`(type id ${t.id})`)}`,
    icon: typeIcon(t.kind),
    contextValue: "type",
    collapsible: false,
    typeId: t.id,
    typeKind: t.kind,
    name: t.name,
  };
}

function typeIcon(kind: TypeKindName): string {
  switch (kind) {
    case "struct":
    case "union":
      return "symbol-struct";
    case "enum":
    case "enum64":
      return "symbol-enum";
    case "func":
      return "symbol-function";
    case "typedef":
      return "symbol-type-parameter";
    default:
      return "symbol-misc";
  }
}
