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

/** Names of the map types used in the scenarios (enum bpf_map_type in linux/bpf.h). */
const MAP_TYPES = { 1: "hash", 2: "array", 5: "percpu_array", 9: "lru_hash", 27: "ringbuf" };

/**
 * A BTF-defined map as bpftool's raw dump of the object shows it: `__uint(type, N)` and `__uint(max_entries, N)` are
 * pointers to arrays of N elements, `__type(key, T)` / `__type(value, T)` pointers to T.
 */
export function mapFromRawGolden(name, mapVar) {
  const lines = golden(`${name}.btf.txt`).split("\n");
  const types = new Map();
  let cur;
  for (const line of lines) {
    const m = /^\[(\d+)\] (\w+) '([^']*)'(.*)$/.exec(line);
    if (m) {
      cur = { id: Number(m[1]), kind: m[2], name: m[3], rest: m[4], members: [] };
      types.set(cur.id, cur);
    } else if (cur) {
      const mm = /^\t'([^']*)' type_id=(\d+)/.exec(line);
      if (mm) cur.members.push({ name: mm[1], type: Number(mm[2]) });
    }
  }
  const v = [...types.values()].find((t) => t.kind === "VAR" && t.name === mapVar);
  assert.ok(v, `raw golden of ${name} has VAR ${mapVar}`);
  const def = types.get(Number(/type_id=(\d+)/.exec(v.rest)[1]));
  const field = (f) => def.members.find((x) => x.name === f);
  const pointee = (f) => types.get(Number(/type_id=(\d+)/.exec(types.get(field(f).type).rest)[1]));
  const count = (f) => Number(/nr_elems=(\d+)/.exec(pointee(f).rest)[1]);
  const cName = (t) => (t.kind === "STRUCT" ? `struct ${t.name}` : t.kind === "UNION" ? `union ${t.name}` : t.name);
  const type = count("type");
  return {
    type,
    typeName: MAP_TYPES[type],
    maxEntries: field("max_entries") ? count("max_entries") : undefined,
    key: field("key") ? cName(pointee("key")) : undefined,
    value: field("value") ? cName(pointee("value")) : undefined,
  };
}
