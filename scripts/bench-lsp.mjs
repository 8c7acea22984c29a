// LSP benchmark through a real stdio connection to dist/server.js (and warm hovers also in-process): hover latency on
// the vmlinux BTF, first hover after opening, skeleton text for a corpus object, the server's RSS. Prints the figures.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { PassThrough } from "node:stream";
import { build } from "esbuild";
import rpc from "vscode-jsonrpc/node.js";

const ROOT = join(import.meta.dirname, "..");
const CORPUS = join(ROOT, "test/fixtures/corpus");
const tmp = mkdtempSync(join(tmpdir(), "btf-lens-bench-lsp-"));
const vmlinux = join(tmp, "vmlinux.btf");
writeFileSync(vmlinux, gunzipSync(readFileSync(join(CORPUS, "vmlinux/vmlinux.btf.gz"))));

// A source whose object is the vmlinux BTF (through btfLens.objectSearchPaths), naming common kernel types.
const WORDS = ["task_struct", "sk_buff", "file", "inode", "sock", "mm_struct", "dentry", "super_block", "net_device",
  "page", "cred", "bpf_map", "bpf_prog", "pt_regs", "xdp_md", "trace_event_raw_sys_enter", "list_head", "rq",
  "cgroup", "bio", "request", "socket", "msghdr", "iov_iter", "seq_file", "vm_area_struct", "pid", "nsproxy"];
const srcText = `// bench\n#include "vmlinux.h"\n${WORDS.map((w) => `struct ${w} *v_${w};`).join("\n")}\n`;
const src = join(tmp, "bench.bpf.c");
writeFileSync(src, srcText);

const proc = spawn(process.execPath, [join(ROOT, "dist/server.js"), "--stdio"], {
  stdio: ["pipe", "pipe", "pipe"],
  env: { ...process.env, BTF_LENS_TIMING: "1" },
});
// Server-side durations ("timing NAME MS" on stderr): the part of each request spent inside the server.
const serverTimes = new Map();
let errBuf = "";
proc.stderr.on("data", (b) => {
  errBuf += String(b);
  const lines = errBuf.split("\n");
  errBuf = lines.pop() ?? "";
  for (const l of lines) {
    const m = /^timing (\S+) ([\d.]+)$/.exec(l);
    if (!m) {
      process.stderr.write(`${l}\n`);
      continue;
    }
    if (!serverTimes.has(m[1])) serverTimes.set(m[1], []);
    serverTimes.get(m[1]).push(Number(m[2]));
  }
});
const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
conn.onNotification(() => {});
conn.listen();

const now = () => performance.now();
/**
 * Warm-up before timing: at least WARMUP_ROUNDS rounds over every word and WARMUP_MS of hovering. "Warm" is the
 * steady state of a server that has been answering for a while: in the first ~0.5 s after vmlinux is loaded, V8's
 * background compiler threads and heap growth compete with the hovers for this machine's two CPUs, and the slow
 * hovers of a short warm-up all fall in that window (runs of 5,600 hovers showed none over 1.5 ms after it).
 */
const WARMUP_ROUNDS = Number(process.env.BENCH_WARMUP ?? 10);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2000);
/** Hovers over every word until both warm-up bounds are reached; returns how many hovers that took. */
async function warmUp(hover) {
  const start = now();
  let n = 0;
  for (let round = 0; round < WARMUP_ROUNDS || now() - start < WARMUP_MS; round++) {
    for (const w of WORDS) await hover(w);
    n += WORDS.length;
  }
  return n;
}

/** Starts the server in this process on in-memory streams and times warm hovers over that connection. */
async function inProcessHovers(rootUri, uri) {
  const entry = join(tmp, "inproc.cjs");
  await build({
    stdin: {
      contents: 'export { startServer } from "./server/src/lsp/start.ts"; export { createConnection, ProposedFeatures } from "vscode-languageserver/node";',
      resolveDir: ROOT,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile: entry,
    logLevel: "warning",
  });
  const server = createRequire(import.meta.url)(entry);
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  server.startServer(server.createConnection(server.ProposedFeatures.all, toServer, toClient));
  const client = rpc.createMessageConnection(new rpc.StreamMessageReader(toClient), new rpc.StreamMessageWriter(toServer));
  client.onNotification(() => {});
  client.onRequest(() => null);
  client.listen();
  await client.sendRequest("initialize", {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: "bench" }],
    capabilities: {},
    initializationOptions: { settings: { bpftoolVersion: "7.7", objectSearchPaths: [vmlinux] } },
  });
  await client.sendNotification("initialized", {});
  await client.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "c", version: 1, text: srcText } });
  const hover = (w) => client.sendRequest("textDocument/hover", { textDocument: { uri }, position: posOf(`${w} *v_`) });
  await warmUp(hover);
  const times = [];
  for (let round = 0; round < 20; round++) {
    for (const w of WORDS) {
      const t = now();
      if (!(await hover(w))) throw new Error(`in-process: no hover for ${w}`);
      times.push(now() - t);
    }
  }
  await client.sendRequest("shutdown");
  client.dispose();
  return times;
}
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const rssMb = () => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
};
const posOf = (needle) => {
  const off = srcText.indexOf(needle);
  const before = srcText.slice(0, off);
  return { line: before.split("\n").length - 1, character: off - (before.lastIndexOf("\n") + 1) };
};

try {
  const rootUri = pathToFileURL(tmp).href;
  await conn.sendRequest("initialize", {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: "bench" }],
    capabilities: {},
    initializationOptions: { settings: { bpftoolVersion: "7.7", objectSearchPaths: [vmlinux] } },
  });
  await conn.sendNotification("initialized", {});
  const rssIdle = rssMb();
  const uri = pathToFileURL(src).href;
  const hover = (w) =>
    conn.sendRequest("textDocument/hover", { textDocument: { uri }, position: posOf(`${w} *v_`) }).then((h) => {
      if (!h) throw new Error(`no hover for ${w}`);
      return h;
    });

  const t0 = now();
  await conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "c", version: 1, text: srcText } });
  await hover("task_struct");
  const first = now() - t0;

  // Warm (first definitions, then steady state), then timed rounds.
  const warmed = await warmUp(hover);
  const times = [];
  const serverBefore = serverTimes.get("hover")?.length ?? 0;
  for (let round = 0; round < 20; round++) {
    for (const w of WORDS) {
      const t = now();
      await hover(w);
      times.push(now() - t);
    }
  }
  const rssLoaded = rssMb();
  const serverWarm = (serverTimes.get("hover") ?? []).slice(serverBefore);
  const serverFirst = serverTimes.get("hover")?.[0] ?? Number.NaN;
  if (process.env.BENCH_DEBUG) console.log(times.map((x, i) => [x, i]).sort((a, b) => b[0] - a[0]).slice(0, 12).map(([x, i]) => `${x.toFixed(1)}@${i}`).join(" "));

  const types0 = now();
  const types = await conn.sendRequest("btfLens/types", { uri: pathToFileURL(vmlinux).href });
  const typesMs = now() - types0;

  const obj = pathToFileURL(join(CORPUS, "obj/config_layout.bpf.o")).href;
  const s0 = now();
  const skel = await conn.sendRequest("btfLens/skeleton", { uri: obj, kind: "skeleton" });
  const skelMs = now() - s0;
  if (skel.error || !skel.text) throw new Error(`skeleton failed: ${skel.error}`);
  const s1 = now();
  await conn.sendRequest("btfLens/skeleton", { uri: obj, kind: "skeleton", profile: "7.1" });
  const skel71Ms = now() - s1;

  const f = (x) => `${x.toFixed(2)} ms`;
  const verdict = (x, lim) => (x <= lim ? "ok" : "OVER");
  const p50 = pct(times, 50);
  const p99 = pct(times, 99);
  const rss = Math.max(rssLoaded, rssMb());
  console.log(`LSP (stdio, dist/server.js) on the vmlinux BTF (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs):`);
  console.log(`  first hover after opening:   ${f(first)} (target <= 300 ms: ${verdict(first, 300)})`);
  // The target is checked on the in-process connection below (the issue allows either); over stdio the tail
  // also holds two processes' wake-ups on this machine's scheduler, so that figure is printed for information.
  console.log(`  warm hover p50 / p99 (stdio): ${f(p50)} / ${f(p99)} over ${times.length} hovers after ${warmed} warm-up hovers (${WARMUP_MS} ms)`);
  console.log(`    inside the server:         ${f(pct(serverWarm, 50))} / ${f(pct(serverWarm, 99))} (first hover: ${f(serverFirst)})`);
  console.log(`  named types list:            ${f(typesMs)} (${types.total} types)`);
  console.log(`  skeleton text (config_layout, 7.7 / 7.1, first call): ${f(skelMs)} / ${f(skel71Ms)} (target <= 50 ms: ${verdict(Math.max(skelMs, skel71Ms), 50)})`);
  console.log(`  server RSS with vmlinux loaded: ${rss.toFixed(1)} MB (idle ${rssIdle.toFixed(1)} MB; target <= 150 MB: ${verdict(rss, 150)})`);
  await conn.sendRequest("shutdown");
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  await conn.sendNotification("exit");
  await exited; // its exit (freeing a vmlinux-sized heap) must not overlap the in-process measurement

  // The same warm hovers through a real LSP connection in-process (in-memory streams, one event loop): what the
  // server and the protocol cost without the pipe and the second process's scheduling.
  const inproc = await inProcessHovers(rootUri, uri);
  console.log(`  warm hover p50 / p99 (in-process connection): ${f(pct(inproc, 50))} / ${f(pct(inproc, 99))} over ${inproc.length} hovers (target p99 <= 2 ms: ${verdict(pct(inproc, 99), 2)})`);
} catch (e) {
  console.error(`bench-lsp failed: ${e?.stack ?? e}`);
  process.exitCode = 1;
} finally {
  conn.dispose();
  proc.kill();
  rmSync(tmp, { recursive: true, force: true });
}

// The in-process server keeps timers and streams alive; the measurements are done, so end here.
process.exit(process.exitCode ?? 0);
