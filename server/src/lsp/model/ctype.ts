// C spellings, sizes and alignments of BTF types for hovers and views; uses the core C dumper when it can.

import { CDumper } from "../../core/btf/c-dump/index.js";
import type { Btf } from "../../core/btf/parse.js";
import type { BtfType } from "../../core/btf/types.js";
import type { Profile } from "../../core/profile.js";

/** libbpf's limit on chains of modifiers/typedefs (MAX_RESOLVE_DEPTH). */
const MAX_DEPTH = 32;

export class CTypes {
  private dumper: CDumper | undefined;

  constructor(
    readonly btf: Btf,
    readonly profile: Profile,
  ) {}

  /** Runs a C dumper call; undefined when the dumper refuses this type (a cycle C cannot express, say). */
  private viaDumper(f: (d: CDumper) => string): string | undefined {
    try {
      this.dumper ??= new CDumper(this.btf, { profile: this.profile });
      return f(this.dumper);
    } catch {
      return undefined;
    }
  }

  /** Creates the C dumper now (it indexes the whole BTF), so the first hover does not pay for it. */
  warm(): void {
    this.viaDumper((d) => d.typeName(0));
  }

  /** `const volatile int my_pid`, `struct event *e`; the type alone when `name` is "". */
  decl(id: number, name = "", stripMods = false): string {
    const viaDumper = this.viaDumper((d) => d.emitTypeDecl(id, { fieldName: name, indent: 0, stripMods }));
    if (viaDumper !== undefined) return viaDumper;
    return declarator(this.btf, id, name, stripMods, 0).trim();
  }

  /** One type's definition as `btf dump format c` prints it. */
  definition(id: number): string {
    const viaDumper = this.viaDumper((d) => d.typeDefinition(id));
    if (viaDumper !== undefined) return viaDumper;
    return fallbackDefinition(this.btf, id, this);
  }
}

/** The type with this id, or undefined when out of range (decodes only that type). */
export function typeAt(btf: Btf, id: number): BtfType | undefined {
  return Number.isInteger(id) && id >= 0 && id < btf.count ? btf.type(id) : undefined;
}

function tagName(t: BtfType): string {
  return t.name === "" ? "{...}" : t.name;
}

/** A minimal C declarator printer, used until the core dumper is available. */
export function declarator(btf: Btf, id: number, inner: string, stripMods: boolean, depth: number): string {
  const t = typeAt(btf, id);
  const sp = inner === "" ? "" : ` ${inner}`;
  if (!t || depth > MAX_DEPTH) return `void${sp}`;
  switch (t.kind) {
    case "void":
      return `void${sp}`;
    case "int":
    case "float":
    case "typedef":
      return `${t.name}${sp}`;
    case "struct":
    case "union":
      return `${t.kind} ${tagName(t)}${sp}`;
    case "enum":
    case "enum64":
      return `enum ${tagName(t)}${sp}`;
    case "fwd":
      return `${t.fwdKind} ${t.name}${sp}`;
    case "ptr":
      return declarator(btf, t.type, `*${inner}`, false, depth + 1);
    case "const":
    case "volatile":
    case "restrict": {
      if (stripMods) return declarator(btf, t.type, inner, true, depth + 1);
      const target = typeAt(btf, t.type);
      if (target?.kind === "ptr") return declarator(btf, t.type, `${t.kind}${sp}`, false, depth + 1);
      return `${t.kind} ${declarator(btf, t.type, inner, false, depth + 1)}`;
    }
    case "type_tag":
    case "decl_tag":
      return declarator(btf, t.type, inner, stripMods, depth + 1);
    case "array": {
      const wrapped = inner.startsWith("*") ? `(${inner})` : inner;
      return declarator(btf, t.type, `${wrapped}[${t.nelems}]`, stripMods, depth + 1);
    }
    case "func_proto": {
      const wrapped = inner.startsWith("*") ? `(${inner})` : inner;
      const params = t.params.map((p) =>
        p.type === 0 ? "..." : declarator(btf, p.type, p.name, false, depth + 1).trim(),
      );
      return declarator(btf, t.returnType, `${wrapped}(${params.length ? params.join(", ") : "void"})`, false, depth + 1);
    }
    case "func":
      return declarator(btf, t.type, inner === "" ? t.name : inner, false, depth + 1);
    case "var":
      return declarator(btf, t.type, inner === "" ? t.name : inner, stripMods, depth + 1);
    case "datasec":
      return `SEC("${t.name}")${sp}`;
    default: {
      const never: never = t;
      return String(never);
    }
  }
}

function fallbackDefinition(btf: Btf, id: number, c: CTypes): string {
  const t = typeAt(btf, id);
  if (!t) return "";
  switch (t.kind) {
    case "struct":
    case "union": {
      const lines = t.members.map((m) => {
        const bf = m.bitfieldSize > 0 ? `: ${m.bitfieldSize}` : "";
        return `\t${declarator(btf, m.type, m.name, false, 0)}${bf};`;
      });
      return `${t.kind} ${t.name} {\n${lines.join("\n")}${lines.length ? "\n" : ""}};\n`;
    }
    case "enum":
    case "enum64": {
      const lines = t.values.map((v) => {
        const n = t.signed ? BigInt.asIntN(t.size * 8, v.value) : v.value;
        return `\t${v.name} = ${n},`;
      });
      return `enum ${t.name} {\n${lines.join("\n")}${lines.length ? "\n" : ""}};\n`;
    }
    case "typedef":
      return `typedef ${declarator(btf, t.type, t.name, false, 0)};\n`;
    case "fwd":
      return `${t.fwdKind} ${t.name};\n`;
    case "func":
      return `${c.decl(t.type, t.name)};\n`;
    default:
      return `${c.decl(id, "")};\n`;
  }
}

/** Skips typedefs and modifiers (not pointers). */
export function resolve(btf: Btf, id: number): BtfType | undefined {
  let t = typeAt(btf, id);
  for (let i = 0; t && i < MAX_DEPTH; i++) {
    if (
      t.kind === "typedef" || t.kind === "const" || t.kind === "volatile" || t.kind === "restrict" ||
      t.kind === "type_tag"
    ) {
      t = typeAt(btf, t.type);
    } else {
      return t;
    }
  }
  return t;
}

/** btf__resolve_size: byte size of a type, or undefined for void/functions or a broken chain. */
export function sizeOf(btf: Btf, id: number, depth = 0): number | undefined {
  const t = typeAt(btf, id);
  if (!t || depth > MAX_DEPTH) return undefined;
  switch (t.kind) {
    case "int":
    case "float":
    case "struct":
    case "union":
    case "enum":
    case "enum64":
    case "datasec":
      return t.size;
    case "ptr":
      return btf.pointerSize;
    case "typedef":
    case "const":
    case "volatile":
    case "restrict":
    case "type_tag":
    case "var":
      return sizeOf(btf, t.type, depth + 1);
    case "array": {
      const e = sizeOf(btf, t.type, depth + 1);
      return e === undefined ? undefined : e * t.nelems;
    }
    default:
      return undefined;
  }
}

/** btf__align_of: natural alignment (1 for packed structs), or undefined when unknown. */
export function alignOf(btf: Btf, id: number, depth = 0): number | undefined {
  const t = typeAt(btf, id);
  if (!t || depth > MAX_DEPTH) return undefined;
  switch (t.kind) {
    case "int":
    case "enum":
    case "enum64":
    case "float":
      return Math.max(1, Math.min(btf.pointerSize, t.size));
    case "ptr":
      return btf.pointerSize;
    case "typedef":
    case "const":
    case "volatile":
    case "restrict":
    case "type_tag":
    case "var":
    case "array":
      return alignOf(btf, t.type, depth + 1);
    case "struct":
    case "union": {
      let max = 1;
      for (const m of t.members) {
        const a = alignOf(btf, m.type, depth + 1);
        if (a === undefined) return undefined;
        // A member off its natural alignment means the struct is packed.
        if (m.bitfieldSize === 0 && m.bitOffset % (8 * a) !== 0) return 1;
        max = Math.max(max, a);
      }
      if (t.size % max !== 0) return 1;
      return max;
    }
    default:
      return undefined;
  }
}
