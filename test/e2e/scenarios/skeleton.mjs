// Scenarios: the skeleton preview equals bpftool's golden, and Generate Skeleton writes that file beside the object.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sameText } from "../expect.mjs";
import { golden } from "../fixtures.mjs";
import { until } from "../workbench.mjs";

const TAB = 4; // editor.tabSize in the e2e user settings

function expandTabs(line) {
  let out = "";
  for (const ch of line) out += ch === "\t" ? " ".repeat(TAB - (out.length % TAB)) : ch;
  return out;
}

/** The visible top of the active editor equals the first lines of `expected` (as the editor renders tabs). */
export async function checkVisibleTop(wb, expected, label) {
  const want = expected.split("\n").map(expandTabs);
  const shown = await until(`${label}: editor shows the skeleton`, async () => {
    const lines = await wb.editorLines();
    return lines.length > 10 && lines[0] === want[0] && lines[3] === want[3] ? lines : undefined;
  });
  const n = Math.min(shown.length - 1, 30); // the last rendered line may be cut by the viewport
  for (let i = 0; i < n; i++) assert.equal(shown[i], want[i], `${label}: visible line ${i + 1}`);
}

export async function activeEditorText(wb) {
  const res = await wb.probe([{ id: "active", command: "$activeEditor", args: [] }]);
  assert.ok(res.active?.ok, `probe $activeEditor: ${res.active?.error}`);
  assert.ok(res.active.value, "an editor is active");
  return res.active.value;
}

/** bpftool derives every name in the skeleton from the file name; this renames a golden made for another file name. */
export function renamedGolden(file, from, to) {
  return golden(file).replaceAll(`${from}_bpf`, `${to}_bpf`).replaceAll(`${from.toUpperCase()}_BPF`, `${to.toUpperCase()}_BPF`);
}

export default [
  {
    name: "skeleton preview equals bpftool's golden",
    async run({ wb }) {
      await wb.openFile("config_layout.bpf.c");
      await wb.command("BTF Lens: Open Skeleton Preview");
      await until("skeleton tab", () => wb.activeTab(/^config_layout(_bpf)?\.skel\.h$/));
      const expected = golden("config_layout.skel.h");
      await checkVisibleTop(wb, expected, "preview");
      const active = await activeEditorText(wb);
      assert.match(active.uri, /config_layout(_bpf)?\.skel\.h/);
      sameText(active.text, expected, "preview text vs bpftool v7.7.0 golden");
    },
  },
  {
    name: "Generate Skeleton writes bpftool's skeleton beside the object",
    async run({ wb, ws, note }) {
      // libbpf-bootstrap names it config_layout.skel.h; bpftool's own object name gives config_layout_bpf.skel.h.
      const candidates = ["config_layout.skel.h", "config_layout_bpf.skel.h"].map((f) => join(ws, f));
      assert.ok(!candidates.some((f) => existsSync(f)), "no skeleton before the command");
      await wb.openFile("config_layout.bpf.c");
      await wb.command("BTF Lens: Generate Skeleton");
      const out = await until("the skeleton on disk", () => candidates.find((f) => existsSync(f)), { timeout: 20_000 });
      note(`wrote ${out}`);
      sameText(readFileSync(out, "utf8"), golden("config_layout.skel.h"), "generated file vs bpftool v7.7.0 golden");
      // A skeleton that bpftool generated (here: another object's) is overwritten without asking.
      writeFileSync(out, golden("icmp_filter.skel.h"));
      await wb.command("BTF Lens: Generate Skeleton");
      await until("regenerated over bpftool's file", () => readFileSync(out, "utf8") === golden("config_layout.skel.h"));
    },
  },
];
