// Scenario: an object whose BTF names are HTML, markdown and control characters shows them as text, renders no markup
// and runs no script, in the tree and in the layout webview.
import assert from "node:assert/strict";
import { HOSTILE } from "../fixtures.mjs";
import { until } from "../workbench.mjs";
import { layoutFrame, layoutInnerFrame } from "./layout.mjs";
import { objectRow } from "./tree.mjs";

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const PRINTABLE = (s) => s.split(/[\u0000-\u001f\u007f]+/).filter(Boolean);

/** Elements that would exist only if a name had been parsed as markup (evaluated in a document). */
function markupFromNames() {
  const bad = [];
  for (const e of document.querySelectorAll("img, script, b, strong, a, [onerror], [onmouseover]")) {
    const text = e.textContent ?? "";
    const src = e.getAttribute("src") ?? "";
    const href = e.getAttribute("href") ?? "";
    if (
      e.hasAttribute("onerror") ||
      e.hasAttribute("onmouseover") ||
      src === "x" ||
      href.includes("example.com") ||
      (e.tagName === "SCRIPT" && /alert\(/.test(text)) ||
      (e.tagName === "STRONG" && text === "bold") ||
      (e.tagName === "B" && text === "u32")
    ) {
      bad.push(e.outerHTML.slice(0, 120));
    }
  }
  return bad;
}

/**
 * True when `shown` is the hostile `name` as text: the same printable runs in order, and control characters made visible
 * (`\xNN`), or with `allowRaw` also left raw (still text: the webview draws them as replacement glyphs).
 */
function shownAsText(shown, name, { allowRaw = false } = {}) {
  if (!allowRaw && RAW_CONTROL.test(shown)) return false;
  let at = 0;
  for (const part of PRINTABLE(name)) {
    const i = shown.indexOf(part, at);
    if (i < 0) return false;
    at = i + part.length;
  }
  return true;
}

export default [
  {
    name: "hostile names are shown as text in the tree and the layout webview",
    async run({ wb, page, dialogs, note }) {
      await wb.openView("BTF Lens");
      await wb.collapseTree();
      await wb.expandPath(objectRow("hostile"), ["Data sections", ".data"]);
      await wb.expandPath(objectRow("hostile"), ["Data sections", ".bss"]);
      await wb.expandPath(objectRow("hostile"), ["Programs", "socket"]);
      const rows = await until("hostile rows", async () => {
        const all = await wb.treeRows();
        return Object.values(HOSTILE)
          .filter((n) => n !== HOSTILE.__u32)
          .every((n) => all.some((r) => shownAsText(r.label, n)))
          ? all
          : undefined;
      });
      for (const r of rows) assert.ok(!RAW_CONTROL.test(r.text), `tree row without raw control characters: ${JSON.stringify(r.text)}`);
      assert.ok(rows.some((r) => r.label === HOSTILE.snap_len), "the HTML name is the literal label");
      assert.ok(rows.some((r) => r.label === HOSTILE.matched), "the markdown name is the literal label");
      const bad = await page.evaluate(markupFromNames);
      assert.deepEqual(bad, [], `no markup from names in the workbench: ${bad.join(" ; ")}`);

      // Layout webview of the same object: no editor is open, so the command asks which object.
      await wb.command("BTF Lens: Show Layout");
      await wb.pick("hostile_bpf");
      const frame = layoutFrame(page);
      const cells = await until("hostile layout table", async () => {
        const texts = await frame.locator("vscode-data-grid-cell").allTextContents();
        return texts.some((t) => t.includes(HOSTILE.snap_len)) ? texts : undefined;
      }, { timeout: 30_000 });
      assert.ok(cells.includes(HOSTILE.snap_len), "HTML name is a literal cell");
      assert.ok(cells.includes(HOSTILE.matched), "markdown name is a literal cell");
      assert.ok(cells.some((c) => c.includes(HOSTILE.__u32)), "HTML type name shown literally in the C type column");
      assert.ok(cells.some((c) => shownAsText(c, HOSTILE.rejected, { allowRaw: true })), "control-character name shown as text");
      const inner = await layoutInnerFrame(page);
      const badView = await inner.evaluate(markupFromNames);
      assert.deepEqual(badView, [], `no markup from names in the webview: ${badView.join(" ; ")}`);
      await page.waitForTimeout(500);
      assert.deepEqual(dialogs, [], "no script ran (no dialog opened)");
      note(`checked ${cells.length} layout cells and ${rows.length} tree rows`);
    },
  },
];
