// Scenario: the workbench loads the workspace and BTF Lens contributes its activity-bar view.
import assert from "node:assert/strict";
import { ROOT_PROGRAMS } from "../fixtures.mjs";
import { until } from "../workbench.mjs";

export default [
  {
    name: "workbench loads the workspace",
    async run({ page }) {
      const rows = page.locator(".explorer-folders-view .monaco-list-row");
      const names = await until("explorer rows", async () => {
        const all = await rows.allInnerTexts();
        return all.length >= ROOT_PROGRAMS.length ? all : undefined;
      });
      for (const n of ROOT_PROGRAMS) assert.ok(names.includes(`${n}.bpf.c`), `explorer lists ${n}.bpf.c: ${names}`);
    },
  },
  {
    name: "BTF Lens view appears in the activity bar",
    async run({ page, wb }) {
      await wb.openView("BTF Lens");
      const title = page.locator(".part.sidebar .composite.title h2");
      await until("side bar title BTF Lens", async () => /BTF LENS/i.test(await title.textContent()));
    },
  },
];
