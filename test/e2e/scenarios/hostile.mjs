// Scenario: an object whose BTF names are HTML, markdown and control characters shows them as text, renders no markup
// and runs no script, in the tree and in the layout webview.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { markdownOf } from "../expect.mjs";
import { HOSTILE } from "../fixtures.mjs";
import { until } from "../workbench.mjs";
import { layoutFrame, layoutInnerFrame } from "./layout.mjs";
import { objectRow } from "./tree.mjs";

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const PRINTABLE = (s) => s.split(/[\u0000-\u001f\u007f]+/).filter(Boolean);

/** Elements that would exist only if a name had been parsed as markup (evaluated in a document). */
function markupFromNames() {
  const bad = [];
  for (const e of document.querySelectorAll("img, script, b, strong, a, em, i, code, [onerror], [onmouseover]")) {
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
      (e.tagName === "B" && text === "u32") ||
      (e.tagName === "EM" && text === "em") ||
      (e.tagName === "I" && text === "i") ||
      (e.tagName === "CODE" && text === "code")
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
        return ["snap_len", "matched", "rejected", "icmp_echo_only"]
          .map((k) => HOSTILE[k])
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
  {
    name: "hostile member names in a hover are shown as text",
    async run({ wb, ws, page, dialogs }) {
      const file = join(ws, "hostile", "hostile.bpf.c");
      const lines = readFileSync(file, "utf8").split("\n");
      const row = lines.findIndex((l) => l.includes("struct __sk_buff *skb"));
      assert.ok(row >= 0, "the source uses struct __sk_buff");
      const len = HOSTILE["__sk_buff.len"];
      const mark = HOSTILE["__sk_buff.mark"];
      // API: the markdown holds the names literally, and may neither render HTML nor run command links.
      const res = await wb.probe([
        {
          id: "skb",
          command: "vscode.executeHoverProvider",
          args: [{ $uri: file }, { $position: [row, lines[row].indexOf("__sk_buff") + 2] }],
        },
      ]);
      assert.ok(res.skb?.ok, `probe: ${res.skb?.error}`);
      const parts = JSON.stringify(res.skb.value);
      assert.ok(!/"supportHtml":true/.test(parts), "hover markdown does not enable HTML");
      assert.ok(!/"isTrusted":true/.test(parts), "hover markdown is not trusted (no command links)");
      const md = markdownOf(res.skb.value);
      assert.ok(md.includes(len) && md.includes(mark), `hover markdown has the member names verbatim: ${md.slice(0, 300)}`);
      // UI: the rendered hover shows them as text.
      await wb.openFile("hostile/hostile.bpf.c");
      await wb.gotoLine(row + 1);
      const { text } = await wb.hover("struct __sk_buff *skb", "__sk_buff", { expect: /__sk_buff/ });
      assert.ok(text.includes(len), `hover shows ${len} as text: ${text.slice(0, 300)}`);
      assert.ok(text.includes(mark), `hover shows ${mark} as text`);
      const bad = await page.evaluate(markupFromNames);
      assert.deepEqual(bad, [], `no markup from names in the hover: ${bad.join(" ; ")}`);
      assert.deepEqual(dialogs, [], "no script ran (no dialog opened)");
    },
  },
];
