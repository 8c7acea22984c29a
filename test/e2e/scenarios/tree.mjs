// Scenario: the BTF Lens view shows an object's programs (by section) and data-section variables with offsets and sizes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { layoutOf } from "../expect.mjs";
import { corpusObject } from "../fixtures.mjs";
import { elfSymbols } from "../objects.mjs";
import { childrenOf, until } from "../workbench.mjs";

/** Programs of an object from its ELF symbols: FUNC symbols in executable sections other than .text. */
export function programsOf(name) {
  return elfSymbols(readFileSync(corpusObject(name)))
    .filter((s) => (s.info & 0xf) === 2 && s.section && s.section !== ".text")
    .map((s) => ({ name: s.name, section: s.section }));
}

/** The top-level tree row of an object: its label starts with the object's name. */
export const objectRow = (name) => new RegExp(`^${name.replace(/[^A-Za-z0-9_]/g, "_")}(_bpf)?\\b`);

/** Expands OBJECT > Data sections > SECTION and checks every global variable's offset and size against the object. */
export async function checkDatasecRows(wb, objectName, section) {
  const expected = layoutOf(objectName, section).filter((v) => v.global);
  await wb.expandPath(objectRow(objectName), ["Data sections", section]);
  const vars = await until(`variables of ${section}`, async () => {
    const rows = await wb.treeRows();
    const sec = rows.find((r) => r.label === section && r.expanded === "true");
    const kids = sec ? childrenOf(rows, sec.index) : [];
    return expected.every((v) => kids.some((r) => r.label === v.name)) ? kids : undefined;
  });
  for (const v of expected) {
    const row = vars.find((r) => r.label === v.name);
    assert.match(row.description, new RegExp(`offset ${v.offset}\\b`), `${v.name}: ${row.description}`);
    assert.match(row.description, new RegExp(`\\b${v.size} B\\b`), `${v.name}: ${row.description}`);
  }
}

export default [
  {
    name: "tree shows programs and data-section variables of config_layout",
    async run({ wb }) {
      await wb.openView("BTF Lens");
      await wb.collapseTree();
      const progs = programsOf("config_layout");
      assert.deepEqual(progs, [{ name: "audit_openat", section: "tp/syscalls/sys_enter_openat" }]);
      for (const p of progs) {
        const rows = await wb.expandPath(objectRow("config_layout"), ["Programs", p.section]);
        const sec = rows.find((r) => r.label === p.section);
        assert.ok(childrenOf(rows, sec.index).some((r) => r.label === p.name), `program ${p.name} under ${p.section}`);
      }
      await checkDatasecRows(wb, "config_layout", ".rodata");
      await checkDatasecRows(wb, "config_layout", ".data.tunables");
    },
  },
];
