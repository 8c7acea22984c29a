// Warnings for names from the object that bpftool prints verbatim into a skeleton although they are not C identifiers.

import type { Btf } from "../btf/parse.js";
import { typeAt } from "../object/btf-util.js";
import type { BpfObject } from "../object/types.js";
import { mapIdent } from "./names.js";

const C_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Chains longer than libbpf's resolve depth are not followed (the dumper rejects them anyway). */
const MAX_CHAIN = 32;

/** A name shown inside a warning: control characters made visible, long names cut. */
function shown(name: string): string {
  const visible = name.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return visible.length > 80 ? `${visible.slice(0, 77)}...` : visible;
}

/** Names of the struct/union/enum/typedef types a declaration of `id` spells out (through pointers, arrays, modifiers). */
function spelledTypeNames(btf: Btf, id: number): string[] {
  const out: string[] = [];
  let cur = id;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    const t = typeAt(btf, cur);
    if (!t) break;
    if (t.kind === "ptr" || t.kind === "const" || t.kind === "volatile" || t.kind === "restrict" || t.kind === "type_tag" || t.kind === "array") {
      cur = t.type;
      continue;
    }
    if (t.name !== "" && t.kind !== "int" && t.kind !== "float") out.push(t.name);
    break;
  }
  return out;
}

/**
 * Names the (sub)skeleton prints as identifiers but that are not valid C identifiers: bpftool prints
 * them as they are (so do we), which breaks the header. Only names that appear in `text` count.
 */
export function identifierWarnings(obj: BpfObject, libbpfName: string, text: string): string[] {
  const found = new Map<string, string>();
  const check = (what: string, name: string | undefined): void => {
    if (name === undefined || name === "" || C_IDENT.test(name) || found.has(name) || !text.includes(name)) return;
    found.set(name, `${what} '${shown(name)}' is not a C identifier, so the generated header is not valid C (bpftool prints it unchanged)`);
  };
  for (const p of obj.programs) check("program name", p.name);
  for (const m of obj.maps) check("map name", mapIdent(m, libbpfName));
  for (const sec of obj.datasecs) {
    for (const v of sec.vars) {
      if (v.skipped) continue;
      check("variable name", v.name);
      if (obj.btf) for (const n of spelledTypeNames(obj.btf, v.typeId)) check("type name", n);
    }
  }
  return [...found.values()];
}
