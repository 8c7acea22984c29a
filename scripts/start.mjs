// `npm start`: builds BTF Lens, installs it into an isolated, offline code-server and opens demo/ in it until Ctrl-C.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, freePort, prepareRunDir, startCodeServer, stopGroup } from "./code-server.mjs";

// BTF_LENS_DEMO_STATE lets the e2e suite run this script beside a demo that is already running.
const RUN = process.env.BTF_LENS_DEMO_STATE || join(ROOT, ".btf-lens", "demo");
const WORKSPACE = join(ROOT, "demo");
const log = (msg) => console.log(`[btf-lens] ${msg}`);

function build() {
  log("building the extension (npm run build)...");
  const res = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, stdio: "inherit" });
  if (res.status !== 0) throw new Error(`build failed (exit ${res.status})`);
  if (!existsSync(join(ROOT, "dist", "client.js"))) log("warning: dist/client.js is missing (no client yet?)");
}

async function main() {
  if (process.argv.includes("--no-build")) log("--no-build: using dist/ as it is");
  else build();
  prepareRunDir(RUN);
  const port = await freePort(Number(process.env.PORT) || 8080);
  const server = await startCodeServer({
    runDir: RUN,
    port,
    workspace: WORKSPACE,
    logFile: join(RUN, "code-server.log"),
    log,
  });
  let stopping = false;
  const shutdown = (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping code-server (process group ${server.pid})...`);
    stopGroup(server.pid);
    log("stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => shutdown("Ctrl-C"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGHUP", () => shutdown("SIGHUP"));
  server.child.once("exit", (code, signal) => {
    if (stopping) return;
    log(`code-server exited unexpectedly (${signal ?? code}); see ${join(RUN, "code-server.log")}`);
    process.exit(1);
  });
  console.log("");
  console.log(`  BTF Lens demo is running. Open this URL in your browser:`);
  console.log("");
  console.log(`    ${server.url}`);
  console.log("");
  console.log(`  Workspace: ${WORKSPACE}   State: ${RUN}`);
  console.log("  Press Ctrl-C to stop.");
}

main().catch((err) => {
  console.error(`[btf-lens] ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
