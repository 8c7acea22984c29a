// E2E runner: code-server + BTF Lens + headless Chromium (playwright-core); prints "N passed, N failed" and exits non-zero
// on any failure. Usage: node test/e2e/run.mjs [--no-build]; BTF_LENS_E2E_ONLY=substring picks scenarios.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { ROOT, freePort, prepareRunDir, startCodeServer, stopGroup } from "../../scripts/code-server.mjs";
import { makeWorkspace } from "./fixtures.mjs";
import { scenarios } from "./scenarios/index.mjs";
import { Workbench } from "./workbench.mjs";

const E2E = join(ROOT, ".btf-lens", "e2e");
const ARTEFACTS = join(ROOT, "test-results", "e2e");
const CHROMIUM = process.env.BTF_LENS_CHROMIUM || "/usr/bin/chromium";
const SCENARIO_TIMEOUT = 120_000;
const log = (msg) => console.log(`[e2e] ${msg}`);

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const started = Date.now();
  if (!existsSync(CHROMIUM)) {
    const msg = `Chromium not found at ${CHROMIUM} (install it with: sudo bash .ci/setup-system)`;
    if (process.env.CI) {
      console.error(`[e2e] FAIL: ${msg}; under CI a missing browser is a failure`);
      console.log("0 passed, 1 failed");
      process.exit(1);
    }
    log(`SKIPPED: ${msg}`);
    console.log("0 passed, 0 failed");
    return 0;
  }
  if (!process.argv.includes("--no-build")) {
    const b = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, stdio: "inherit" });
    if (b.status !== 0) throw new Error("build failed");
  }
  rmSync(ARTEFACTS, { recursive: true, force: true });
  mkdirSync(ARTEFACTS, { recursive: true });
  const runDir = join(E2E, "run");
  prepareRunDir(runDir, {
    fresh: true,
    settings: { "editor.tabSize": 4, "editor.detectIndentation": false, "workbench.editor.enablePreview": false },
  });
  const ws = makeWorkspace(join(E2E, "ws"));
  const resultsFile = join(E2E, "probe-results.json");
  const requestsFile = join(E2E, "probe-requests.json");
  rmSync(resultsFile, { force: true });

  const port = await freePort();
  const server = await startCodeServer({
    runDir,
    port,
    workspace: ws,
    logFile: join(ARTEFACTS, "code-server.log"),
    env: { BTF_LENS_TEST_RESULTS: resultsFile, BTF_LENS_TEST_REQUESTS: requestsFile },
    log,
  });
  const interrupted = (sig) => {
    stopGroup(server.pid);
    console.log(`[e2e] ${sig}: stopped code-server`);
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  let context;
  let passed = 0;
  let failed = 0;
  const failures = [];
  try {
    context = await chromium.launchPersistentContext(join(E2E, "chromium"), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    // Webview resources (https://*.vscode-resource.vscode-cdn.net/...) are answered by the webview's service worker
    // from 127.0.0.1; anything else outside 127.0.0.1, answered or failed, was an attempt to reach the network.
    const offsite = [];
    const isOffsite = (url) => /^https?:/.test(url) && !/^https?:\/\/127\.0\.0\.1[:/]/.test(url);
    context.on("response", (res) => {
      if (isOffsite(res.url()) && !res.fromServiceWorker()) offsite.push(res.url());
    });
    context.on("requestfailed", (req) => {
      if (isOffsite(req.url())) offsite.push(`${req.url()} (${req.failure()?.errorText})`);
    });
    const dialogs = [];
    const consoleErrors = [];
    page.on("dialog", (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await page.goto(server.url);
    const wb = new Workbench(page, { requestsFile, resultsFile });
    await wb.ready();
    log(`workbench up after ${Math.round((Date.now() - started) / 1000)} s`);

    const only = process.env.BTF_LENS_E2E_ONLY;
    const list = scenarios.filter((s) => !only || s.name.includes(only));
    let n = 0;
    for (const s of list) {
      n++;
      const t0 = Date.now();
      const shot = join(ARTEFACTS, `${String(n).padStart(2, "0")}-${s.name.replace(/[^a-z0-9]+/gi, "-")}.png`);
      const ctx = { page, wb, ws, dialogs, consoleErrors, artefacts: ARTEFACTS, note: (m) => log(`  ${m}`) };
      try {
        await withTimeout(s.run(ctx), SCENARIO_TIMEOUT, s.name);
        await page.screenshot({ path: shot }).catch(() => {});
        passed++;
        log(`PASS ${s.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      } catch (err) {
        await page.screenshot({ path: shot }).catch(() => {});
        failed++;
        failures.push(s.name);
        log(`FAIL ${s.name} (${((Date.now() - t0) / 1000).toFixed(1)} s): ${err?.stack ?? err}`);
      } finally {
        await page.keyboard.press("Escape").catch(() => {});
        await wb.closeAllEditors().catch((e) => log(`  (could not close editors: ${e.message})`));
      }
    }
    // Nothing may leave the machine: every request the browser made (workbench, webviews) went to 127.0.0.1.
    if (offsite.length) {
      failed++;
      failures.push("offline");
      log(`FAIL offline: requests outside 127.0.0.1: ${[...new Set(offsite)].slice(0, 10).join(", ")}`);
    } else {
      passed++;
      log("PASS offline: every browser request went to 127.0.0.1");
    }
  } catch (err) {
    failed++;
    failures.push("harness");
    log(`FAIL harness: ${err?.stack ?? err}`);
    const pages = context?.pages() ?? [];
    if (pages[0]) await pages[0].screenshot({ path: join(ARTEFACTS, "harness-failure.png") }).catch(() => {});
  } finally {
    await context?.close().catch(() => {});
    stopGroup(server.pid);
  }
  log(`screenshots and logs: ${ARTEFACTS}; total ${Math.round((Date.now() - started) / 1000)} s`);
  if (failures.length) log(`failed: ${failures.join(", ")}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[e2e] ${err?.stack ?? err}`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  },
);
