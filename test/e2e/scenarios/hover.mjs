// Scenario: hovering globals in a BPF source shows their section, offset, size and C type (UI and API).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { layoutOf, mapFromRawGolden, markdownOf } from "../expect.mjs";
import { corpusObject, golden } from "../fixtures.mjs";
import { elfSymbols } from "../objects.mjs";

/** [variable, section, declaration line text (0-based line is found in the source), C type in the declaration] */
const CASES = [
  ["cfg_boot_cookie", ".rodata", "const volatile __u64 cfg_boot_cookie", "__u64"],
  ["tune_b", ".data.tunables", "__u64 tune_b SEC", "__u64"],
  ["state_cfg", ".data", "struct audit_cfg state_cfg", "struct audit_cfg"],
];

function expectedFor(name, section) {
  const v = layoutOf("config_layout", section).find((x) => x.name === name);
  assert.ok(v, `${name} is a symbol of ${section} in the object`);
  return v;
}

function checkHoverText(text, [name, section, , cType], label) {
  const v = expectedFor(name, section);
  assert.ok(text.includes(name), `${label}: mentions ${name}: ${text}`);
  assert.ok(text.includes(section), `${label}: mentions section ${section}: ${text}`);
  assert.match(text, new RegExp(`offset ${v.offset}\\b`), `${label}: offset ${v.offset}`);
  assert.match(text, new RegExp(`size ${v.size}\\b`), `${label}: size ${v.size}`);
  assert.ok(text.includes(cType), `${label}: C type ${cType}: ${text}`);
  const pad = /(\d+) bytes? before/.exec(text);
  if (pad) assert.equal(Number(pad[1]), v.holeBefore, `${label}: padding before ${name}`);
}

export default [
  {
    name: "hover a global shows section, offset, size and type",
    async run({ wb, ws, note }) {
      await wb.openFile("config_layout.bpf.c");
      const [name, , line] = CASES[0];
      const lines = readFileSync(join(ws, "config_layout.bpf.c"), "utf8").split("\n");
      await wb.gotoLine(lines.findIndex((l) => l.startsWith(line)) + 1);
      const { text } = await wb.hover(line, name, { expect: /offset/ });
      note(`hover: ${text.replace(/\n+/g, " | ").slice(0, 200)}`);
      checkHoverText(text, CASES[0], "UI hover");
    },
  },
  {
    name: "API: executeHoverProvider on globals, a program and a map",
    async run({ wb, ws, note }) {
      const file = join(ws, "config_layout.bpf.c");
      const lines = readFileSync(file, "utf8").split("\n");
      const requests = CASES.map(([name, , decl]) => {
        const row = lines.findIndex((l) => l.startsWith(decl));
        assert.ok(row >= 0, `source has ${decl}`);
        const col = lines[row].indexOf(name) + 1;
        return { id: name, command: "vscode.executeHoverProvider", args: [{ $uri: file }, { $position: [row, col] }] };
      });
      // A program: its ELF section and instruction count (symbol size / 8) come from the object.
      const prog = elfSymbols(readFileSync(corpusObject("config_layout"))).find((x) => x.name === "audit_openat");
      const progRow = lines.findIndex((l) => l.startsWith("int audit_openat("));
      requests.push({
        id: "audit_openat",
        command: "vscode.executeHoverProvider",
        args: [{ $uri: file }, { $position: [progRow, 6] }],
      });
      // A map in another source: type, max_entries, key and value from bpftool's raw dump of the object.
      const mapFile = join(ws, "4tuple_acct.bpf.c");
      const mapLines = readFileSync(mapFile, "utf8").split("\n");
      const mapRow = mapLines.findIndex((l) => /^\} tuples SEC\("\.maps"\);/.test(l));
      assert.ok(mapRow >= 0, "4tuple_acct.bpf.c declares the map tuples");
      requests.push({
        id: "tuples",
        command: "vscode.executeHoverProvider",
        args: [{ $uri: mapFile }, { $position: [mapRow, 3] }],
      });
      const res = await wb.probe(requests);
      assert.ok(res.tuples?.ok, `probe tuples: ${res.tuples?.error}`);
      const mapText = markdownOf(res.tuples.value);
      note(`map hover: ${mapText.replace(/\n+/g, " | ").slice(0, 400)}`);
      const map = mapFromRawGolden("4tuple_acct", "tuples");
      assert.match(mapText, new RegExp(`(?:BPF_MAP_TYPE_|\\b)${map.typeName}\\b`, "i"), `map type ${map.typeName}`);
      assert.match(mapText, new RegExp(`max_entries\\s*\\|\\s*${map.maxEntries}\\b`), `max_entries ${map.maxEntries}`);
      assert.ok(mapText.includes(map.key), `key ${map.key}`);
      assert.ok(mapText.includes(map.value), `value ${map.value}`);
      assert.ok(mapText.includes("skel->maps.tuples"), "skeleton accessor (the golden's maps.tuples field)");
      assert.ok(golden("4tuple_acct.skel.h").includes("\t\tstruct bpf_map *tuples;"), "golden exposes maps.tuples");
      assert.ok(res.audit_openat?.ok, `probe audit_openat: ${res.audit_openat?.error}`);
      const progText = markdownOf(res.audit_openat.value);
      note(`program hover: ${progText.replace(/\n+/g, " | ").slice(0, 300)}`);
      assert.ok(progText.includes(prog.section), `program hover names section ${prog.section}: ${progText}`);
      assert.match(progText, new RegExp(`instructions\\W{0,8}${prog.size / 8}\\b`), `program hover has ${prog.size / 8} instructions: ${progText}`);
      for (const c of CASES) {
        const r = res[c[0]];
        assert.ok(r?.ok, `probe ${c[0]}: ${r?.error}`);
        checkHoverText(markdownOf(r.value), c, `API hover ${c[0]}`);
      }
    },
  },
];
