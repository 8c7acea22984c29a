// Scenario: switching btfLens.bpftoolVersion to 7.1 (workspace settings) turns the open preview into Debian bpftool's.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sameText } from "../expect.mjs";
import { golden } from "../fixtures.mjs";
import { until } from "../workbench.mjs";
import { activeEditorText } from "./skeleton.mjs";

export default [
  {
    name: "profile 7.1 setting gives Debian bpftool 7.1.0's skeleton",
    async run({ wb, ws }) {
      const settings = join(ws, ".vscode", "settings.json");
      await wb.openFile("config_layout.bpf.c");
      await wb.command("BTF Lens: Open Skeleton Preview");
      await until("skeleton tab", () => wb.activeTab(/^config_layout(_bpf)?\.skel\.h$/));
      const v77 = golden("config_layout.skel.h");
      const v71 = golden("config_layout.skel.h", "debian-7.1.0");
      await until("7.7 preview", async () => (await activeEditorText(wb)).text === v77);
      mkdirSync(join(ws, ".vscode"), { recursive: true });
      writeFileSync(settings, JSON.stringify({ "btfLens.bpftoolVersion": "7.1" }));
      try {
        const text = await until("preview follows the profile", async () => {
          const t = (await activeEditorText(wb)).text;
          return t !== v77 ? t : undefined;
        }, { timeout: 20_000 });
        sameText(text, v71, "preview under profile 7.1 vs Debian bpftool 7.1.0 golden");
      } finally {
        rmSync(settings, { force: true });
      }
      await until("back to the 7.7 preview", async () => (await activeEditorText(wb)).text === v77, { timeout: 20_000 });
    },
  },
];
