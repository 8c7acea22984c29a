// The e2e workspace (a fresh copy per run) and expectations read from the corpus objects and bpftool goldens.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../scripts/code-server.mjs";
import { renameInObject } from "./objects.mjs";

export const CORPUS = join(ROOT, "test", "fixtures", "corpus");
export const corpusObject = (name) => join(CORPUS, "obj", `${name}.bpf.o`);
export const corpusSource = (name) => join(CORPUS, "src", `${name}.bpf.c`);
/** A bpftool golden, e.g. golden("config_layout.skel.h") (v7.7.0) or golden("x.skel.h", "debian-7.1.0"). */
export const golden = (file, version = "bpftool-v7.7.0") => readFileSync(join(CORPUS, "golden", version, file), "utf8");

/** Sources with their objects side by side at the workspace root. */
export const ROOT_PROGRAMS = ["config_layout", "4tuple_acct", "net-filter", "policy_maps"];

/** Names written into hostile/hostile.bpf.o (BTF and ELF symbols), keyed by the corpus name they replace. */
export const HOSTILE = {
  snap_len: "<img src=x onerror=alert(1)>",
  matched: "**bold**[link](https://example.com/)",
  rejected: "ctl\u0001\u001b[31mred\u0007",
  icmp_echo_only: "<script>alert(3)</script>",
  __u32: "<b onmouseover=alert(4)>u32</b>",
  "__sk_buff.len": "<img src=x onerror=alert(5)>",
  "__sk_buff.mark": "`code` *em* <i>i</i>",
};

export function makeWorkspace(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const name of ROOT_PROGRAMS) {
    copyFileSync(corpusSource(name), join(dir, `${name}.bpf.c`));
    copyFileSync(corpusObject(name), join(dir, `${name}.bpf.o`));
  }
  copyFileSync(join(CORPUS, "include", "net_flow.h"), join(dir, "net_flow.h"));
  // rebuild/: starts as the object built without -g; a scenario "rebuilds" it with -g.
  mkdirSync(join(dir, "rebuild"));
  copyFileSync(corpusSource("icmp_filter"), join(dir, "rebuild", "icmp_filter.bpf.c"));
  copyFileSync(corpusObject("icmp_filter_nobtf"), join(dir, "rebuild", "icmp_filter.bpf.o"));
  // hostile/: icmp_filter with names that are HTML, markdown and control characters.
  mkdirSync(join(dir, "hostile"));
  writeFileSync(join(dir, "hostile", "hostile.bpf.o"), renameInObject(readFileSync(corpusObject("icmp_filter")), HOSTILE));
  // Its source (found beside the object): hovering `__sk_buff` shows the struct with the hostile member names.
  copyFileSync(corpusSource("icmp_filter"), join(dir, "hostile", "hostile.bpf.c"));
  return dir;
}
