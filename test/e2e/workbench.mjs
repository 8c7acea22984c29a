// Page-object helpers for the VS Code workbench served by code-server (selectors from shared E2E notes, VS Code 1.99).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value or `timeout` ms pass; returns the value or throws with `what`. */
export async function until(what, fn, { timeout = 15_000, interval = 250 } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ""}`);
    }
    await sleep(interval);
  }
}

/** Editor text uses U+00A0 for spaces. */
export const plain = (s) => s.replace(/\u00a0/g, " ");

export class Workbench {
  constructor(page, { requestsFile, resultsFile }) {
    this.page = page;
    this.requestsFile = requestsFile;
    this.resultsFile = resultsFile;
    this.probeRuns = 0;
  }

  async ready() {
    await this.page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
    await this.page.locator(".explorer-folders-view .monaco-list-row").first().waitFor({ timeout: 30_000 });
  }

  /** Runs a command from the palette by its title (exact match preferred). */
  async command(title, { timeout = 15_000 } = {}) {
    const page = this.page;
    await this.closeQuickInput();
    await page.keyboard.press("F1");
    const input = page.locator(".quick-input-widget .quick-input-box input");
    await input.waitFor({ timeout });
    await input.fill(`>${title}`);
    const row = page.locator(".quick-input-widget .monaco-list-row", { hasText: title }).first();
    await row.waitFor({ timeout });
    await sleep(150);
    await input.press("Enter");
  }

  async closeQuickInput() {
    const widget = this.page.locator(".quick-input-widget");
    if (await widget.isVisible().catch(() => false)) {
      await this.page.keyboard.press("Escape");
      await sleep(100);
    }
  }

  /** Quick pick after a command: choose the row whose text contains `text`. */
  async pick(text, { timeout = 15_000 } = {}) {
    const row = this.page.locator(".quick-input-widget .monaco-list-row", { hasText: text }).first();
    await row.waitFor({ timeout });
    await row.click();
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) by its relative path. */
  async openFile(relPath) {
    const page = this.page;
    await this.closeQuickInput();
    await page.keyboard.press("Control+P");
    const input = page.locator(".quick-input-widget .quick-input-box input");
    await input.waitFor();
    await input.fill(relPath);
    const name = relPath.split("/").pop();
    await page.locator(".quick-input-widget .monaco-list-row", { hasText: name }).first().waitFor();
    await sleep(150);
    await input.press("Enter");
    await until(`editor tab ${name}`, () =>
      page.locator(".tabs-container .tab.active", { hasText: name }).isVisible(),
    );
  }

  /** Text of the visible lines of the active editor (lines in DOM order sorted by position). */
  async editorLines() {
    return this.page.evaluate(() => {
      const ed = document.querySelector(".editor-group-container.active .monaco-editor .view-lines");
      if (!ed) return [];
      const rows = [...ed.querySelectorAll(".view-line")].map((el) => ({
        top: Number.parseFloat(el.style.top || "0"),
        text: (el.textContent ?? "").replace(/\u00a0/g, " "),
      }));
      rows.sort((a, b) => a.top - b.top);
      return rows.map((r) => r.text);
    });
  }

  /** Moves the cursor to a 1-based line:column with Go to Line. */
  async gotoLine(line, column = 1) {
    await this.closeQuickInput();
    await this.page.keyboard.press("Control+G");
    const input = this.page.locator(".quick-input-widget .quick-input-box input");
    await input.waitFor();
    await input.fill(`${line}:${column}`);
    await input.press("Enter");
    await sleep(200);
  }

  /**
   * Hovers the first token span equal to `token` on a visible line that contains `lineText`, and returns the hover text
   * (retrying: the first hover often comes back empty).
   */
  async hover(lineText, token, { tries = 6, expect } = {}) {
    const page = this.page;
    const line = page
      .locator(".editor-group-container.active .monaco-editor .view-line", { hasText: lineText.replace(/ /g, "\u00a0") })
      .first();
    await line.waitFor({ timeout: 15_000 });
    const span = line.locator("span span", { hasText: new RegExp(`^${token.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) });
    let last = "";
    for (let i = 0; i < tries; i++) {
      await page.mouse.move(5, 5);
      await sleep(300);
      await span.first().hover();
      const hover = page.locator(".monaco-hover:not(.hidden)").first();
      try {
        await hover.waitFor({ state: "visible", timeout: 3000 });
        await sleep(400);
        // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText keeps the hover's line breaks
        last = plain(await hover.innerText());
        if (last.trim() && !/^Loading/.test(last.trim()) && (!expect || expect.test(last))) return { text: last, hover };
      } catch {
        // retry
      }
    }
    return { text: last, hover: page.locator(".monaco-hover").first() };
  }

  /** Clicks the activity-bar entry whose aria-label starts with `title`. */
  async openView(title) {
    const item = this.page.locator(`.part.activitybar .action-item [aria-label^="${title}"]`).first();
    await item.waitFor({ timeout: 20_000 });
    const selected = await this.page
      .locator(`.part.activitybar .action-item.checked [aria-label^="${title}"]`)
      .count();
    if (!selected) await item.click();
    await this.page.locator(".part.sidebar").waitFor();
  }

  /** Rows of the side bar tree(s): label, description and aria-level (nesting depth). */
  async treeRows() {
    return this.page.evaluate(() =>
      [...document.querySelectorAll(".part.sidebar .monaco-list-row")].map((row) => ({
        label: (row.querySelector(".label-name")?.textContent ?? "").replace(/\u00a0/g, " "),
        description: (row.querySelector(".label-description")?.textContent ?? "").replace(/\u00a0/g, " "),
        level: Number(row.getAttribute("aria-level") ?? "0"),
        expanded: row.getAttribute("aria-expanded"),
        text: (row.textContent ?? "").replace(/\u00a0/g, " "),
      })),
    );
  }

  /** Expands the (first) side-bar tree row whose label is exactly `label`. */
  async expand(label, { under } = {}) {
    const rows = this.page.locator(".part.sidebar .monaco-list-row", {
      has: this.page.locator(".label-name", { hasText: new RegExp(`^${escapeRe(label)}$`) }),
    });
    await until(`tree row ${label}${under ? ` under ${under}` : ""}`, async () => (await rows.count()) > 0);
    const row = rows.first();
    if ((await row.getAttribute("aria-expanded")) === "false") {
      await row.locator(".label-name").click();
      await until(`${label} expanded`, async () => (await row.getAttribute("aria-expanded")) === "true", {
        timeout: 10_000,
      });
    }
    return row;
  }

  /** Notification toasts currently shown. */
  async toasts() {
    return this.page.locator(".notifications-toasts .notification-list-item-message").allInnerTexts();
  }

  /** Runs the extension's test probe (see README.md) and returns its results by id. */
  async probe(requests, { timeout = 60_000 } = {}) {
    const runId = `run-${++this.probeRuns}-${Date.now()}`;
    writeFileSync(`${this.requestsFile}.tmp`, JSON.stringify({ runId, requests }, null, 2));
    renameSync(`${this.requestsFile}.tmp`, this.requestsFile);
    await this.command("BTF Lens (test): Run Probe");
    const out = await until(
      "probe results",
      () => {
        if (!existsSync(this.resultsFile)) return undefined;
        const r = JSON.parse(readFileSync(this.resultsFile, "utf8"));
        return r.runId === runId ? r : undefined;
      },
      { timeout },
    );
    return Object.fromEntries(out.results.map((r) => [r.id, r]));
  }
}

export const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
