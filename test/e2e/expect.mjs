// Expectations computed from the corpus objects themselves (ELF symbols) and from bpftool's goldens, never from BTF Lens.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { corpusObject, golden } from "./fixtures.mjs";
import { sectionVariables } from "./objects.mjs";

/**
 * The variables of a data section as libbpf lays it out (offset = st_value, size = st_size), each with the hole between
 * the end of the previous variable and its offset. Static (STB_LOCAL) symbols are included: they occupy the section too.
 */
export function layoutOf(name, section) {
  const vars = sectionVariables(readFileSync(corpusObject(name)), section);
  let end = 0;
  return vars.map((v) => {
    const row = { name: v.name, offset: v.value, size: v.size, holeBefore: v.value - end, global: v.info >> 4 === 1 };
    end = Math.max(end, v.value + v.size);
    return row;
  });
}

/** The `char __padN[K]` sizes bpftool writes inside `struct NAME_bpf__SECTION` of the skeleton golden, in order. */
export function goldenPads(name, section) {
  const skel = golden(`${name}.skel.h`);
  const field = section.replace(/^\./, "").replace(/[^A-Za-z0-9_]/g, "_");
  const obj = `${name.replace(/[^A-Za-z0-9_]/g, "_")}_bpf`;
  const m = skel.match(new RegExp(`struct ${obj}__${field} \\{\\n([\\s\\S]*?)\\n\\t\\} \\*${field};`));
  assert.ok(m, `golden ${name}.skel.h has struct ${obj}__${field}`);
  return [...m[1].matchAll(/char __pad\d+\[(\d+)\];/g)].map((x) => Number(x[1]));
}

/** Compares two texts and reports the first differing line (goldens are long). */
export function sameText(actual, expected, label) {
  if (actual === expected) return;
  const a = actual.split("\n");
  const e = expected.split("\n");
  const i = a.findIndex((line, k) => line !== e[k]);
  const at = i < 0 ? Math.min(a.length, e.length) : i;
  assert.fail(
    `${label}: first difference at line ${at + 1} (actual ${a.length} lines, expected ${e.length})\n` +
      `  expected: ${JSON.stringify(e[at])}\n  actual:   ${JSON.stringify(a[at])}`,
  );
}

/** Flattens a probe value (Hover[] etc.) to its markdown/plain strings. */
export function markdownOf(value) {
  const out = [];
  const walk = (v) => {
    if (v == null) return;
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object") {
      if (typeof v.$markdown === "string") out.push(v.$markdown);
      else if (typeof v.value === "string") out.push(v.value);
      else Object.values(v).forEach(walk);
    }
  };
  walk(value);
  return out.join("\n");
}
