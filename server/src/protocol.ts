// The BTF Lens custom LSP messages, declared once and imported by both the language server and the VS Code client.
//
// Conventions:
// - Objects are named by their file URI (`file:///.../foo.bpf.o`), also for files opened by path (raw BTF such as
//   /sys/kernel/btf/vmlinux) through `OpenFile`.
// - Source locations are LSP `Location`s: 0-based line and character (BTF.ext line_info is 1-based; the server converts).
// - Offsets and sizes are decimal byte counts (numbers), never bits, unless a field name says otherwise.
// - Every string that comes from an object (names, C types, section names) is untrusted: render it as text, never as
//   HTML or markdown.
// - `profile` is optional everywhere; it defaults to the `btfLens.bpftoolVersion` setting.
// - Failures to parse an object are not errors of the request: results carry `error` (the parser's message) instead.
//   Requests fail (ResponseError) only for bad parameters, such as an unknown object URI.

import { type Location, NotificationType, RequestType } from "vscode-languageserver-protocol";

/** The bpftool output profiles (see server/src/core/profile.ts). */
export type ProfileName = "7.7" | "7.1";

/** The `btfLens` settings section the server reads with workspace/configuration. */
export interface BtfLensSettings {
  /** Output profile: bpftool v7.7.0 (libbpf 1.7) or Debian 12's bpftool 7.1.0 (libbpf 1.1). Default "7.7". */
  bpftoolVersion: ProfileName;
  /** Extra globs (workspace-relative or absolute) where objects are looked for; `${name}` is the source's base name. */
  objectSearchPaths: string[];
}

/** Feature flags, in `InitializeResult.capabilities.experimental.btfLens`. The client enables UI only for true flags. */
export interface ServerFeatures {
  /** Protocol revision; bumped on incompatible changes. */
  protocolVersion: number;
  objects: boolean;
  objectTree: boolean;
  skeleton: boolean;
  layout: boolean;
  objectForSource: boolean;
  openFile: boolean;
  types: boolean;
  typeDefinition: boolean;
  hover: boolean;
  diagnostics: boolean;
}
export const PROTOCOL_VERSION = 1;
/** Key under `capabilities.experimental` that holds the `ServerFeatures`. */
export const EXPERIMENTAL_KEY = "btfLens";

// ---------------------------------------------------------------------------------------------------------------------
// Shared shapes

/** How the object for a source was found, in search order. */
export type ObjectOrigin =
  | "beside" // foo.bpf.c -> foo.bpf.o in the same directory
  | "output-dir" // .output/ or build/ next to the source or at the workspace root
  | "search-path" // a btfLens.objectSearchPaths glob
  | "line-info" // an object whose BTF.ext line_info names the source file
  | "opened"; // opened by path with OpenFile

export type ObjectFormat = "elf" | "raw-btf";

/** One object (ELF .o or raw BTF file) known to the server. */
export interface ObjectSummary {
  uri: string;
  /** File system path. */
  path: string;
  /** Object name as the skeleton uses it (`foo` for foo.bpf.o); the file name for raw BTF. */
  name: string;
  format: ObjectFormat;
  /** Sources this object serves (file URIs), from discovery and from BTF.ext line_info. */
  sources: string[];
  /** The object has a .BTF section (false: compiled without -g). */
  hasBtf: boolean;
  /** Set when the object could not be parsed: the parser's message. Other fields are then best effort. */
  error?: string;
  /** Counts for descriptions; 0 when unknown. */
  programCount: number;
  mapCount: number;
  datasecCount: number;
  typeCount: number;
  /** File modification time (ms since the epoch) and size of the parsed version. */
  mtimeMs: number;
  size: number;
}

export interface ProgramNode {
  /** Function name. */
  name: string;
  /** ELF section, e.g. "kprobe/do_sys_openat2". */
  section: string;
  /** Program type as libbpf deduces it from the section ("kprobe", "tracing", ...); "unspec" when unknown. */
  progType: string;
  /** Expected attach type ("trace_fentry", ...), if any. */
  attachType?: string;
  /** Number of 8-byte BPF instructions. */
  insnCount: number;
  autoload: boolean;
  sleepable: boolean;
  /** Skeleton accessors: `skel->progs.NAME` and `skel->links.NAME`. */
  skelProg: string;
  skelLink: string;
  location?: Location;
}

export interface ProgramSectionGroup {
  /** ELF section name. */
  section: string;
  programs: ProgramNode[];
}

export interface MapNode {
  name: string;
  /** Map type name without the prefix ("hash", "ringbuf", "array", ...), or "unknown(N)". */
  type: string;
  /** Key and value C types when the map has BTF for them ("__u32", "struct event"). */
  keyType?: string;
  valueType?: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  pinning: number;
  mapExtra?: string;
  /** For map-in-map: the inner map's name or description. */
  innerMap?: string;
  /** Data-section maps (.bss, .rodata, ...) are reported with their section. */
  section?: string;
  /** `skel->maps.NAME` (undefined when the skeleton does not expose it). */
  skelAccessor?: string;
  location?: Location;
}

export type VarLinkageName = "static" | "global" | "extern" | "hidden";

export interface VariableNode {
  name: string;
  /** The variable's C type without the name ("const volatile int", "struct config", "char[16]"). */
  cType: string;
  /** Full C declaration including the name: `const volatile int my_pid`. */
  declaration: string;
  offset: number;
  size: number;
  align: number;
  linkage: VarLinkageName;
  /** Whether the skeleton exposes it (`skelAccessor`), or the reason it does not. */
  exposed: boolean;
  skelAccessor?: string;
  notExposedReason?: string;
  location?: Location;
}

export interface DatasecNode {
  /** Section name (".bss", ".rodata", ".data.custom"). */
  name: string;
  size: number;
  /** The skeleton field for the section's map (`skel->bss`), when exposed. */
  skelAccessor?: string;
  variables: VariableNode[];
}

// ---------------------------------------------------------------------------------------------------------------------
// Requests

/** All objects known to the server: discovered in the workspace, and opened by path. */
export namespace Objects {
  export const method = "btfLens/objects";
  export type Params = Record<string, never>;
  export interface Result {
    objects: ObjectSummary[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** The tree of one object: programs grouped by section, maps, data sections with variables. */
export namespace ObjectTree {
  export const method = "btfLens/objectTree";
  export interface Params {
    uri: string;
    profile?: ProfileName;
  }
  export interface Result {
    object: ObjectSummary;
    programs: ProgramSectionGroup[];
    maps: MapNode[];
    datasecs: DatasecNode[];
    /** Set when the object could not be parsed (the lists are then empty). */
    error?: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** The skeleton header text, as `bpftool gen skeleton|subskeleton FILE [name NAME]` prints it. */
export namespace Skeleton {
  export const method = "btfLens/skeleton";
  export interface Params {
    uri: string;
    profile?: ProfileName;
    /** Object name override (bpftool's `name NAME`). */
    name?: string;
    kind: "skeleton" | "subskeleton";
  }
  export interface Result {
    /** Header text; empty when `error` is set. */
    text: string;
    /** What bpftool would print on stderr (warnings) and our notes. */
    warnings: string[];
    /** Suggested file name: foo.skel.h / foo.subskel.h for foo.bpf.o (NAME.skel.h with a name override). */
    fileName: string;
    /** bpftool's error when it would fail (for example, no BTF). */
    error?: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

export type LayoutNodeKind = "section" | "variable" | "padding";

/** One row of the data-section layout. Sections are parents; variables and padding rows point at them. */
export interface LayoutNode {
  /** Unique within one result. */
  id: number;
  /** Parent node id (the section) for variables and padding; undefined for sections. */
  parent?: number;
  kind: LayoutNodeKind;
  section: string;
  /** Variable name; section name for sections; "" for padding. */
  name: string;
  /** C type of the variable ("" for sections and padding). */
  cType: string;
  offset: number;
  size: number;
  /** Alignment in bytes (1 for padding; the largest member alignment for sections). */
  align: number;
  /** Cache-line index (64-byte lines) of the first and last byte. */
  cacheLine: number;
  cacheLineEnd: number;
  /** Variables: whether the skeleton exposes it. */
  exposed?: boolean;
  location?: Location;
}

/** The data-section layout as flat nodes, in offset order within each section. */
export namespace Layout {
  export const method = "btfLens/layout";
  export interface Params {
    uri: string;
    profile?: ProfileName;
    /** Only this section (".bss"); all data sections when absent. */
    section?: string;
  }
  export interface Result {
    nodes: LayoutNode[];
    /** 64. */
    cacheLineSize: number;
    error?: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Which object a source file uses (for the status bar), and where the server looked. */
export namespace ObjectForSource {
  export const method = "btfLens/objectForSource";
  export interface Params {
    /** Text document URI of the source. */
    uri: string;
  }
  export interface Result {
    /** The object's URI; undefined when none was found or the file is not a BPF source. */
    object?: string;
    name?: string;
    origin?: ObjectOrigin;
    /** False when the file does not look like BPF C (no SEC(, no bpf_helpers.h, not *.bpf.c). */
    isBpfSource: boolean;
    /** Places searched, in order (paths and globs), for messages. */
    searched: string[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Opens any BTF or object file by path (for example /sys/kernel/btf/vmlinux) and adds it to `Objects`. */
export namespace OpenFile {
  export const method = "btfLens/openFile";
  export interface Params {
    path: string;
  }
  export type Result = ObjectSummary;
  export const type = new RequestType<Params, Result, void>(method);
}

export type TypeKindName =
  | "int"
  | "ptr"
  | "array"
  | "struct"
  | "union"
  | "enum"
  | "enum64"
  | "fwd"
  | "typedef"
  | "volatile"
  | "const"
  | "restrict"
  | "func"
  | "func_proto"
  | "var"
  | "datasec"
  | "float"
  | "decl_tag"
  | "type_tag";

export interface TypeEntry {
  id: number;
  name: string;
  kind: TypeKindName;
}

/** Named types of one object, for a quick pick (sorted by name, then id). */
export namespace Types {
  export const method = "btfLens/types";
  export interface Params {
    uri: string;
    /** Only these kinds; default: struct, union, enum, enum64, typedef, fwd, func, int, float. */
    kinds?: TypeKindName[];
    /** Case-insensitive substring filter on the name. */
    query?: string;
    /** At most this many entries (default: all). */
    limit?: number;
  }
  export interface Result {
    types: TypeEntry[];
    /** Matching entries before `limit`. */
    total: number;
    error?: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** One type's C definition as `btf dump format c` prints it, for a read-only virtual document. */
export namespace TypeDefinition {
  export const method = "btfLens/typeDefinition";
  export interface Params {
    uri: string;
    id: number;
    profile?: ProfileName;
  }
  export interface Result {
    id: number;
    name: string;
    kind: TypeKindName;
    /** C text, ending with a newline. */
    text: string;
    error?: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** The server's feature flags (the same as in the initialize result), for clients that ask later. */
export namespace Features {
  export const method = "btfLens/features";
  export type Params = Record<string, never>;
  export type Result = ServerFeatures;
  export const type = new RequestType<Params, Result, void>(method);
}

// ---------------------------------------------------------------------------------------------------------------------
// Notifications (server -> client)

/** An object was parsed again, appeared, disappeared or was opened: refresh the tree, skeleton and layout views. */
export namespace ObjectChanged {
  export const method = "btfLens/objectChanged";
  export interface Params {
    uri: string;
    reason: "created" | "changed" | "deleted" | "opened";
  }
  export const type = new NotificationType<Params>(method);
}

/** The set of objects or the source -> object mapping changed (for example after settings changed). */
export namespace ObjectsChanged {
  export const method = "btfLens/objectsChanged";
  export type Params = Record<string, never>;
  export const type = new NotificationType<Params>(method);
}
