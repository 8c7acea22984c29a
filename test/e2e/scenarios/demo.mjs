// Scenario: `npm start` (scripts/start.mjs) serves demo/ in its own code-server with BTF Lens, and Ctrl-C stops it all.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT, freePort } from "../../../scripts/code-server.mjs";
import { until } from "../workbench.mjs";

export default [
  {
    name: "npm start serves the demo and Ctrl-C stops everything",
    async run({ page, artefacts, note }) {
      const port = await freePort();
      const child = spawn(process.execPath, [join(ROOT, "scripts", "start.mjs"), "--no-build"], {
        env: { ...process.env, PORT: String(port), BTF_LENS_DEMO_STATE: join(ROOT, ".btf-lens", "e2e", "demo-run") },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
      });
      child.stderr.on("data", (d) => {
        out += d;
      });
      const exited = new Promise((r) => child.once("exit", (code, signal) => r({ code, signal })));
      let demoPage;
      try {
        const url = await until("the demo URL on stdout", () => /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m.exec(out)?.[1], {
          timeout: 60_000,
        });
        assert.ok(url.startsWith(`http://127.0.0.1:${port}/`), `URL on the requested port: ${url}`);
        assert.ok(decodeURIComponent(url).endsWith(`${join(ROOT, "demo")}`), `opens demo/: ${url}`);
        demoPage = await page.context().newPage();
        await demoPage.goto(url);
        const demoFiles = readdirSync(join(ROOT, "demo")).filter((f) => f.endsWith(".bpf.c"));
        await until("demo sources in the explorer", async () => {
          const rows = await demoPage.locator(".explorer-folders-view .monaco-list-row").allTextContents();
          return demoFiles.every((f) => rows.includes(f));
        }, { timeout: 60_000 });
        await demoPage.locator('.part.activitybar .action-item [aria-label^="BTF Lens"]').first().click();
        const objects = demoFiles.map((f) => f.replace(/\.bpf\.c$/, "").replace(/[^A-Za-z0-9_]/g, "_"));
        await until("demo objects in the BTF Lens view", async () => {
          const labels = await demoPage.locator(".part.sidebar .monaco-list-row .label-name").allTextContents();
          return objects.every((o) => labels.some((l) => l.startsWith(o)));
        }, { timeout: 30_000 });
        await demoPage.screenshot({ path: join(artefacts, "demo-npm-start.png") });
      } finally {
        await demoPage?.close().catch(() => {});
        child.kill("SIGINT");
      }
      const { code } = await Promise.race([exited, new Promise((r) => setTimeout(() => r({ code: "timeout" }), 15_000))]);
      assert.equal(code, 0, `start.mjs exits 0 after Ctrl-C:\n${out}`);
      assert.match(out, /stopped\./);
      const after = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status,
        () => "closed",
      );
      assert.equal(after, "closed", "code-server no longer listens after Ctrl-C");
      note(`demo served on port ${port}, stopped cleanly`);
    },
  },
];
