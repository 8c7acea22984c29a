// Scenario: rebuilding an object (in place, as a compiler does) updates the open skeleton preview and the tree.
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { corpusObject, golden } from "../fixtures.mjs";
import { until } from "../workbench.mjs";
import { activeEditorText, checkVisibleTop, renamedGolden } from "./skeleton.mjs";
import { checkDatasecRows } from "./tree.mjs";

export default [
  {
    name: "rebuilt object updates the preview and the tree",
    async run({ wb, ws, note }) {
      const obj = join(ws, "rebuild", "icmp_filter.bpf.o");
      await wb.openFile("rebuild/icmp_filter.bpf.c");
      await wb.command("BTF Lens: Open Skeleton Preview");
      await until("skeleton tab", () => wb.activeTab(/^icmp_filter(_bpf)?\.skel\.h$/));
      // Before: the object was built without -g (the corpus's icmp_filter_nobtf, under this file's name).
      const before = renamedGolden("icmp_filter_nobtf.skel.h", "icmp_filter_nobtf", "icmp_filter");
      await until("preview of the object without BTF", async () => (await activeEditorText(wb)).text === before, { timeout: 30_000 });
      // Rebuild with -g: the compiler rewrites the object in place.
      const after = golden("icmp_filter.skel.h");
      const marker = "struct icmp_filter_bpf__bss {"; // only the -g build has data-section structs
      const t0 = Date.now();
      copyFileSync(corpusObject("icmp_filter"), obj);
      await until("the editor shows the rebuilt skeleton", async () => (await wb.editorLines()).some((l) => l.trim() === marker), {
        timeout: 20_000,
        interval: 25,
      });
      note(`preview re-rendered ${Date.now() - t0} ms after the object was rewritten (DOM polling every 25 ms)`);
      await until("preview text follows the rebuilt object", async () => (await activeEditorText(wb)).text === after, { timeout: 20_000 });
      await checkVisibleTop(wb, after, "rebuilt preview");
      await wb.openView("BTF Lens");
      await wb.collapseTree();
      await checkDatasecRows(wb, "icmp_filter", ".bss");
      await checkDatasecRows(wb, "icmp_filter", ".data");
    },
  },
];
