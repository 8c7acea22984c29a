// Installs the pinned code-server (e2e/code-server/) and runs it isolated, offline, with BTF Lens installed; shared by
// `npm start` (scripts/start.mjs) and the e2e suite (test/e2e/run.mjs).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..");
export const CODE_SERVER_VERSION = "4.99.4";
const CS_DIR = join(ROOT, "e2e", "code-server");
const ENTRY = join(CS_DIR, "node_modules", "code-server", "out", "node", "entry.js");
/** @vscode/ripgrep looks here (under $TMPDIR) before downloading from GitHub, which is unreachable. */
const RG_CACHE = ["vscode-ripgrep-cache-1.15.11", "ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"];

function installedVersion() {
  const pkg = join(CS_DIR, "node_modules", "code-server", "package.json");
  if (!existsSync(pkg) || !existsSync(ENTRY)) return undefined;
  return JSON.parse(readFileSync(pkg, "utf8")).version;
}

/** Installs code-server from e2e/code-server/package-lock.json unless the pinned version is already there. */
export function ensureCodeServer(log = console.log) {
  if (installedVersion() === CODE_SERVER_VERSION) return ENTRY;
  const tmp = join(ROOT, ".btf-lens", "tmp");
  const cache = join(tmp, RG_CACHE[0]);
  mkdirSync(cache, { recursive: true });
  const tarball = join(cache, RG_CACHE[1]);
  if (!existsSync(tarball)) {
    const rg = ["/usr/bin/rg", "/usr/local/bin/rg"].find((p) => existsSync(p));
    if (!rg) throw new Error("ripgrep (rg) is missing: run `sudo bash .ci/setup-system` (or apt-get install ripgrep)");
    const stage = join(tmp, "rg-stage");
    mkdirSync(stage, { recursive: true });
    writeFileSync(join(stage, "rg"), readFileSync(rg), { mode: 0o755 });
    const tar = spawnSync("tar", ["-C", stage, "-czf", tarball, "rg"], { stdio: "inherit" });
    if (tar.status !== 0) throw new Error("could not pack ripgrep for @vscode/ripgrep");
  }
  log(`Installing code-server ${CODE_SERVER_VERSION} into e2e/code-server (once, about 100 s)...`);
  const started = Date.now();
  const env = {
    ...process.env,
    TMPDIR: tmp,
    npm_config_unsafe_perm: "true", // its postinstall refuses to run as root otherwise
    npm_config_yes: "true", // node-pty's postinstall runs `npx node-gyp`
    npm_config_fund: "false",
    npm_config_audit: "false",
    npm_config_update_notifier: "false",
  };
  const res = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: CS_DIR, env, stdio: "inherit" });
  if (res.status !== 0 || installedVersion() !== CODE_SERVER_VERSION) {
    throw new Error(`installing code-server failed (npm ci exit ${res.status}); see the output above`);
  }
  log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return ENTRY;
}

/** A free TCP port on 127.0.0.1 (or `preferred` when it is free). */
export async function freePort(preferred = 0) {
  const tryPort = (port) =>
    new Promise((res) => {
      const srv = createServer();
      srv.once("error", () => res(undefined));
      srv.listen(port, "127.0.0.1", () => {
        const { port: p } = srv.address();
        srv.close(() => res(p));
      });
    });
  return (preferred && (await tryPort(preferred))) || (await tryPort(0));
}

const SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "npm.fetchOnlinePackageInfo": false,
  "git.enabled": false,
  "security.workspace.trust.enabled": false,
  "chat.commandCenter.enabled": false,
  "window.commandCenter": false,
  "editor.minimap.enabled": false,
  "editor.hover.delay": 200,
};

/**
 * Prepares RUN (user data, extensions, config) and installs the extension at ROOT by symlink, so that a rebuild is picked
 * up on the next window reload.
 */
export function prepareRunDir(runDir, { settings = {}, fresh = false } = {}) {
  if (fresh) rmSync(runDir, { recursive: true, force: true });
  for (const d of ["user-data/User", "extensions", "home", "config", "data", "cache", "tmp"]) {
    mkdirSync(join(runDir, d), { recursive: true });
  }
  writeFileSync(join(runDir, "user-data", "User", "settings.json"), JSON.stringify({ ...SETTINGS, ...settings }, null, 2));
  writeFileSync(join(runDir, "config.yaml"), "bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n");
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const ext = join(runDir, "extensions", `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  rmSync(ext, { recursive: true, force: true });
  symlinkSync(ROOT, ext, "dir");
  // A stale registry from an earlier run may name another version; VS Code rescans when it is missing.
  rmSync(join(runDir, "extensions", "extensions.json"), { force: true });
  return ext;
}

/**
 * Starts code-server detached (its own process group) on 127.0.0.1:port, waits for /healthz, and returns
 * `{ url, pid, stop }`. Every path it writes to is under runDir; the marketplace is disabled with an empty gallery.
 */
export async function startCodeServer({ runDir, port, workspace, env = {}, logFile, log = () => {} }) {
  const entry = ensureCodeServer(log);
  const childEnv = {
    ...process.env,
    HOME: join(runDir, "home"),
    XDG_CONFIG_HOME: join(runDir, "config"),
    XDG_DATA_HOME: join(runDir, "data"),
    XDG_CACHE_HOME: join(runDir, "cache"),
    TMPDIR: join(runDir, "tmp"),
    EXTENSIONS_GALLERY: "{}",
    ...env,
  };
  delete childEnv.VSCODE_IPC_HOOK_CLI;
  const args = [
    entry,
    "--bind-addr",
    `127.0.0.1:${port}`,
    "--auth",
    "none",
    "--config",
    join(runDir, "config.yaml"),
    "--user-data-dir",
    join(runDir, "user-data"),
    "--extensions-dir",
    join(runDir, "extensions"),
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--disable-getting-started-override",
    "--disable-proxy",
    workspace,
  ];
  const out = logFile ? openSync(logFile, "a") : "ignore";
  const child = spawn(process.execPath, args, { env: childEnv, detached: true, stdio: ["ignore", out, out] });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const stop = () => stopGroup(child.pid);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited during start-up${logFile ? `; see ${logFile}` : ""}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error("code-server did not answer /healthz within 60 s");
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`code-server ${CODE_SERVER_VERSION} ready at ${base} (pid ${child.pid})`);
  return { url: `${base}/?folder=${encodeURIComponent(workspace)}`, base, pid: child.pid, child, stop };
}

/** Stops a process group that we started (SIGTERM, then SIGKILL after a grace period). */
export function stopGroup(pid, graceMs = 3000) {
  if (!pid) return;
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    return; // already gone
  }
  const end = Date.now() + graceMs;
  while (Date.now() < end) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    spawnSync("sleep", ["0.1"]);
  }
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // gone
  }
}
