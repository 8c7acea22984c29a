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
    // Enter runs the focused row: wait until the filter has made our command the focused one.
    const focused = page.locator(".quick-input-widget .monaco-list-row.focused .label-name").first();
    await until(`palette row ${title}`, async () => plain((await focused.textContent({ timeout: 1000 })) ?? "").trim() === title, {
      timeout,
    });
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
    await until(`editor tab ${name}`, () => this.activeTab(new RegExp(`^${escapeRe(name)}$`)));
  }

  /** The active editor tab's label when it matches `re` (the tab of the active editor group). */
  async activeTab(re) {
    const label = await this.page
      .locator(".editor-group-container.active .tabs-container .tab.active .label-name")
      .first()
      .textContent({ timeout: 2000 })
      .catch(() => undefined);
    return label !== undefined && label !== null && re.test(label.trim()) ? label.trim() : undefined;
  }

  /** Closes every editor and editor group, so the next scenario starts from a clean layout. */
  async closeAllEditors() {
    await this.command("View: Close All Editor Groups");
    await sleep(300);
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
    await input.fill(`:${line}:${column}`);
    await input.press("Enter");
    await sleep(200);
  }

  /**
   * Screen coordinates of the middle of the first occurrence of `token` as a whole word on a visible line of the active
   * editor that contains `lineText` (tokens may share a span with their neighbours, so this measures a DOM Range).
   */
  async tokenPoint(lineText, token) {
    return this.page.evaluate(
      ([lineText, token]) => {
        const norm = (t) => t.replace(/\u00a0/g, " ");
        const lines = document.querySelectorAll(".editor-group-container.active .monaco-editor .view-line");
        for (const line of lines) {
          const text = norm(line.textContent ?? "");
          if (!text.includes(lineText)) continue;
          const m = new RegExp(`(^|[^A-Za-z0-9_])(${token.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})(?![A-Za-z0-9_])`).exec(text);
          if (!m) continue;
          let at = m.index + m[1].length + Math.floor(token.length / 2);
          const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const len = n.textContent.length;
            if (at < len) {
              const r = document.createRange();
              r.setStart(n, at);
              r.setEnd(n, at + 1);
              const box = r.getBoundingClientRect();
              return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
            }
            at -= len;
          }
        }
        return null;
      },
      [lineText, token],
    );
  }

  /** Hovers `token` on the line containing `lineText` and returns the hover's text (retrying: the first is often empty). */
  async hover(lineText, token, { tries = 6, expect } = {}) {
    const page = this.page;
    const point = await until(`${token} on a visible line`, () => this.tokenPoint(lineText, token));
    let last = "";
    for (let i = 0; i < tries; i++) {
      await page.mouse.move(point.x + 300, point.y + 200);
      await sleep(300);
      await page.mouse.move(point.x, point.y, { steps: 3 });
      const hover = page.locator(".monaco-editor .monaco-hover:not(.hidden)").first();
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

  /** Rows of the side bar tree in display order: label, description, aria-level (depth) and list index. */
  async treeRows() {
    const rows = await this.page.evaluate(() =>
      [...document.querySelectorAll(".part.sidebar .monaco-list-row")].map((row) => ({
        index: Number(row.getAttribute("data-index") ?? "-1"),
        label: (row.querySelector(".label-name")?.textContent ?? "").replace(/\u00a0/g, " "),
        description: (row.querySelector(".label-description")?.textContent ?? "").replace(/\u00a0/g, " "),
        level: Number(row.getAttribute("aria-level") ?? "0"),
        expanded: row.getAttribute("aria-expanded"),
        text: (row.textContent ?? "").replace(/\u00a0/g, " "),
      })),
    );
    return rows.sort((a, b) => a.index - b.index);
  }

  /** Collapses every node of the side-bar tree (its "Collapse All" title action), if it has one. */
  async collapseTree() {
    const btn = this.page.locator('.part.sidebar .title-actions .action-label[aria-label^="Collapse All"]').first();
    if (await btn.isVisible().catch(() => false)) {
      await btn.click();
      await sleep(300);
    }
  }

  /**
   * Expands a path of tree rows: `first` matches a top-level row (label test), each following label is an exact
   * label among the children of the previous row. Returns the rows (in display order) after the last expansion.
   */
  async expandPath(first, labels) {
    const test = typeof first === "string" ? (l) => l === first : (l) => first.test(l);
    let parent = await until(`top-level tree row ${first}`, async () =>
      (await this.treeRows()).find((r) => r.level === 1 && test(r.label)),
    { timeout: 30_000 });
    parent = await this.expandRow(parent);
    for (const label of labels) {
      const child = await until(`tree row ${label} under ${parent.label}`, async () => {
        const rows = await this.treeRows();
        return childrenOf(rows, parent.index).find((r) => r.label === label);
      });
      parent = await this.expandRow(child);
    }
    return this.treeRows();
  }

  /** Expands one row (by list index) if it is collapsed; returns it. */
  async expandRow(row) {
    const loc = this.page.locator(`.part.sidebar .monaco-list-row[data-index="${row.index}"]`);
    if ((await loc.getAttribute("aria-expanded")) === "false") {
      await loc.locator(".label-name").click();
      await until(`${row.label} expanded`, async () => (await loc.getAttribute("aria-expanded")) === "true", {
        timeout: 10_000,
      });
    }
    return row;
  }

  /** Notification toasts currently shown. */
  async toasts() {
    return this.page.locator(".notifications-toasts .notification-list-item-message").allInnerTexts();
  }

  /**
   * Runs the extension's test probe (see README.md) and returns its results by id. The palette can lose a keystroke
   * when an editor grabs focus while it opens, so the command is re-run (same requests, new run id) when no answer comes.
   */
  async probe(requests, { attempts = 3, timeout = 20_000 } = {}) {
    let lastErr;
    for (let i = 0; i < attempts; i++) {
      const runId = `run-${++this.probeRuns}-${Date.now()}`;
      writeFileSync(`${this.requestsFile}.tmp`, JSON.stringify({ runId, requests }, null, 2));
      renameSync(`${this.requestsFile}.tmp`, this.requestsFile);
      try {
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
      } catch (err) {
        lastErr = err;
      }
    }
    throw lastErr;
  }
}

export const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The rows under the row with list index `parentIndex` (all deeper levels, until the next sibling). */
export function childrenOf(rows, parentIndex) {
  const i = rows.findIndex((r) => r.index === parentIndex);
  if (i < 0) return [];
  const out = [];
  for (const r of rows.slice(i + 1)) {
    if (r.level <= rows[i].level) break;
    out.push(r);
  }
  return out;
}
