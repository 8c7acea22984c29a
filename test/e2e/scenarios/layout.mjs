// Scenario: the layout webview shows each variable's offset and size and the padding between them, read inside the frame.
import assert from "node:assert/strict";
import { goldenPads, layoutOf } from "../expect.mjs";
import { until } from "../workbench.mjs";

/** Rows of one data section's table in the layout webview: [{ cells: [name, type, offset, size, align, line] }]. */
export async function layoutRows(frame, section) {
  return frame.locator("section.datasec").evaluateAll(
    (secs, name) => {
      const sec = secs.find((s) => s.querySelector(".section-name")?.textContent === name);
      if (!sec) return undefined;
      return [...sec.querySelectorAll("vscode-data-grid-row")].map((row) =>
        [...row.querySelectorAll("vscode-data-grid-cell")].map((c) => c.textContent ?? ""),
      );
    },
    section,
  );
}

export function layoutFrame(page) {
  return page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
}

/** The webview's content Frame (to evaluate scripts in it). */
export async function layoutInnerFrame(page) {
  const outer = await (await page.locator("iframe.webview.ready").first().elementHandle())?.contentFrame();
  const inner = await (await outer?.locator("iframe#active-frame").elementHandle())?.contentFrame();
  assert.ok(inner, "the layout webview's content frame");
  return inner;
}

export default [
  {
    name: "layout webview shows offsets and padding of config_layout",
    async run({ wb, page, note }) {
      await wb.openFile("config_layout.bpf.c");
      await wb.command("BTF Lens: Show Layout");
      const frame = layoutFrame(page);
      for (const section of [".rodata", ".data.tunables"]) {
        const rows = await until(`layout table of ${section}`, async () => {
          const r = await layoutRows(frame, section);
          return r && r.length > 1 ? r : undefined;
        }, { timeout: 30_000 });
        const expected = layoutOf("config_layout", section);
        for (const v of expected.filter((x) => x.global)) {
          const row = rows.find((r) => r[0] === v.name);
          assert.ok(row, `${section}: a row for ${v.name}`);
          assert.equal(row[2], String(v.offset), `${section} ${v.name} offset`);
          assert.equal(row[3], String(v.size), `${section} ${v.name} size`);
        }
        // Every gap between variables is shown as padding (or a hole) of exactly that size at that offset.
        let end = 0;
        for (const v of expected) {
          if (v.holeBefore > 0) {
            const gap = rows.find((r) => /^\((padding|hole)\)$/.test(r[0]) && r[2] === String(end));
            assert.ok(gap, `${section}: padding at offset ${end} before ${v.name}`);
            assert.equal(gap[3], String(v.holeBefore), `${section}: padding size before ${v.name}`);
          }
          end = Math.max(end, v.offset + v.size);
        }
        // bpftool's explicit __pad fields are among those gaps.
        const gaps = rows.filter((r) => /^\((padding|hole)\)$/.test(r[0])).map((r) => Number(r[3]));
        for (const pad of goldenPads("config_layout", section)) assert.ok(gaps.includes(pad), `${section}: pad ${pad} B`);
        note(`${section}: ${rows.length - 1} rows, gaps ${gaps.join(", ")} B`);
      }
      // Leave .rodata in view for the screenshot.
      await frame
        .locator("section.datasec", { has: frame.locator(".section-name", { hasText: /^\.rodata$/ }) })
        .first()
        .scrollIntoViewIfNeeded();
    },
  },
];
