// openObject() against what bpftool's goldens and the ELF symbol table say libbpf saw, per corpus object and profile.

import { describe, expect, it } from "vitest";
import { BtfLensError } from "../server/src/core/errors.js";
import { parseElf, STB, STT } from "../server/src/core/elf/elf.js";
import { internalMapName, objectNameFromPath, openObject } from "../server/src/core/object/index.js";
import type { BpfObject } from "../server/src/core/object/types.js";
import { PROFILES } from "../server/src/core/profile.js";
import { corpusObjects, golden, goldenError, readObject, type GoldenProfile } from "./helpers/golden.js";

const profiles: GoldenProfile[] = ["7.7", "7.1"];

function open(name: string, profile: GoldenProfile): BpfObject {
  return openObject(readObject(name), { profile: PROFILES[profile], name: objectNameFromPath(`obj/${name}.bpf.o`) });
}

/** Names quoted in `map->name = "..."` / `s->maps[N].name = "..."` lines of a skeleton golden, in order. */
function goldenMapNames(text: string): string[] {
  return [...text.matchAll(/^\t(?:map->name|s->maps\[\d+\]\.name) = "(.*)";$/gm)].map((m) => m[1] ?? "");
}
function goldenProgNames(text: string): string[] {
  return [...text.matchAll(/^\ts->progs\[\d+\]\.name = "(.*)";$/gm)].map((m) => m[1] ?? "");
}

describe.each(profiles)("profile %s", (profile) => {
  describe.each(corpusObjects())("%s", (name) => {
    const skel = golden(profile, `${name}.skel.h`);
    const err = goldenError(profile, name, "skel");
    const opens = skel !== undefined;

    it("opens exactly when bpftool's skeleton succeeded, with libbpf's errno otherwise", () => {
      if (opens) {
        expect(() => open(name, profile)).not.toThrow();
        return;
      }
      let caught: unknown;
      try {
        open(name, profile);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(BtfLensError);
      expect((256 - ((caught as BtfLensError).errno % 256)) % 256).toBe(err?.exit);
    });

    if (opens) {
      it("maps and programs in libbpf's creation order, with libbpf's map names", () => {
        const obj = open(name, profile);
        const text = skel ?? "";
        expect(obj.maps.map((m) => m.name)).toEqual(goldenMapNames(text));
        expect(obj.programs.map((p) => p.name)).toEqual(goldenProgNames(text));
      });
    }

    if (opens) {
      it("libbpf's informational log equals the libbpf: lines bpftool printed", () => {
        const obj = open(name, profile);
        const printed = (err?.stderr ?? "").split("\n").filter((l) => l.startsWith("libbpf: ")).map((l) => l.slice(8));
        expect(obj.log).toEqual(printed);
      });
    }

    if (opens) {
      it("data-section variables sit at their ELF symbol offsets, sorted, inside the section", () => {
        const obj = open(name, profile);
        const elf = parseElf(readObject(name));
        for (const d of obj.datasecs) {
          const raw = obj.btf?.types[d.btfId];
          // After static linking the DATASEC already has sizes and offsets, and libbpf keeps them as they are.
          const linked = raw?.kind === "datasec" && raw.size !== 0 && d.name !== ".kconfig";
          const offsets = d.vars.map((v) => v.offset);
          expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
          for (const v of d.vars) {
            expect(v.offset + v.size, `${d.name}/${v.name}`).toBeLessThanOrEqual(d.size);
            if (d.name === ".kconfig" || v.linkage === "static") continue;
            if (linked) {
              expect(v.offset).toBe(raw.vars.find((x) => x.type === v.varId)?.offset);
              continue;
            }
            const sym = elf.symbols.find((s) => s.name === v.name && s.type === STT.OBJECT && s.bind !== STB.LOCAL);
            expect(sym?.value, `${d.name}/${v.name}`).toBe(v.offset);
            expect(elf.sections[sym?.shndx ?? 0]?.name).toBe(d.name);
          }
          const sec = elf.sectionByName(d.name);
          if (sec) expect(d.size).toBe(sec.size);
        }
      });
    }
  });
});

describe("what libbpf deduces", () => {
  it("program types, attach types, autoload and sleepable from section names", () => {
    const progs = (n: string) => Object.fromEntries(open(n, "7.7").programs.map((p) => [p.name, p]));
    const tcp = progs("tcpconn");
    expect(tcp.tcp_v4_connect_enter).toMatchObject({ progTypeName: "tracing", expectedAttachTypeName: "trace_fentry", autoload: true, sleepable: false });
    expect(tcp.tcp_v4_connect_exit).toMatchObject({ expectedAttachTypeName: "trace_fexit" });
    expect(tcp.sys_connect_enter).toMatchObject({ sectionName: "fentry.s/__sys_connect", rawSectionName: "?fentry.s/__sys_connect", autoload: false, sleepable: true });
    const lsm = progs("lsm_exec_guard");
    expect(lsm.audit_open).toMatchObject({ progTypeName: "lsm", expectedAttachTypeName: "lsm_mac", sleepable: true });
    expect(lsm.protect_daemon).toMatchObject({ autoload: false });
    const net = progs("net-filter");
    expect(net.xdp_entry).toMatchObject({ progTypeName: "xdp", expectedAttachTypeName: "xdp" });
    expect(net.tc_egress_account).toMatchObject({ progTypeName: "sched_cls" });
    expect(net.sock_sampler).toMatchObject({ progTypeName: "socket_filter" });
    const iter = progs("proc_iter");
    expect(iter.dump_task_file).toMatchObject({ progTypeName: "tracing", expectedAttachTypeName: "trace_iter", sleepable: true });
    expect(progs("cpu_profiler").on_cpu_sample).toMatchObject({ progTypeName: "perf_event" });
    expect(progs("runqueue_latency_histogram").on_sched_switch).toMatchObject({ progTypeName: "raw_tracepoint" });
    expect(progs("tcp_cc_link").fixed_init).toMatchObject({ progTypeName: "struct_ops" });
    // Subprograms in .text are not programs of their own.
    expect(Object.keys(progs("vfs_io_latency"))).not.toContain("record_latency");
  });

  it("BTF-defined map attributes", () => {
    const maps = (n: string) => Object.fromEntries(open(n, "7.7").maps.map((m) => [m.name, m]));
    const lsm = maps("lsm_exec_guard");
    expect(lsm.deny_bloom).toMatchObject({ typeName: "bloom_filter", keySize: 0, mapExtra: 5n });
    expect(lsm.rules).toMatchObject({ typeName: "hash", pinning: 1 });
    expect(maps("tcpconn").conn_events).toMatchObject({ typeName: "perf_event_array", maxEntries: 0 });
    const net = maps("net-filter");
    expect(net.l3_dispatch).toMatchObject({ typeName: "prog_array", initSlots: ["xdp_ipv4", "xdp_ipv6"] });
    const pol = maps("policy_maps");
    expect(pol.generations?.initSlots).toEqual(["gen_a", "gen_b"]);
    expect(pol.generations?.inner?.typeName).toBe("hash");
    expect(pol.tenants?.initSlots).toEqual(["tenant_default", "tenant_batch"]);
    const blk = maps("blk_req_latency");
    expect(blk.issue_stacks).toMatchObject({ typeName: "stack_trace", keySize: 4, valueSize: 512, keyTypeId: 0 });
    expect(blk.inflight?.keySize).toBe(8);
  });

  it("internal map names: 8-char prefix, 7 for .kconfig, bare custom sections, 15 chars at most", () => {
    expect(internalMapName("runqueue_latency_histogram_bpf", ".rodata")).toBe("runqueue.rodata");
    expect(internalMapName("runqueue_latency_histogram_bpf", ".kconfig")).toBe("runqueu.kconfig");
    expect(internalMapName("tcpconn_bpf", ".rodata.str1.1")).toBe(".rodata.str1.1");
    expect(internalMapName("x", ".data.a_very_long_section")).toBe(".data.a_very_lo");
    expect(internalMapName("", ".bss")).toBe(".bss");
    expect(objectNameFromPath("dir/net-filter.bpf.o")).toBe("net_filter_bpf");
    // Bytewise on UTF-8, as Debian bpftool 7.1 printed for these names.
    expect(objectNameFromPath("héllo-wörld.o")).toBe("h__llo_w__rld");
    expect(internalMapName("nämé", ".rodata")).toBe("n__m__.rodata");
    expect(objectNameFromPath(`${"x".repeat(70)}.o`)).toBe("x".repeat(63));
  });

  it(".kconfig externs ordered by alignment desc, size asc, name; hidden globals static only in 7.7", () => {
    const rq = open("runqueue_latency_histogram", "7.7");
    const kc = rq.datasecs.find((d) => d.name === ".kconfig");
    expect(kc?.vars.map((v) => [v.name, v.offset])).toEqual([
      ["CONFIG_HZ", 0],
      ["CONFIG_NET_SCH_FQ", 4],
      ["LINUX_KERNEL_VERSION", 8],
      ["CONFIG_SCHED_INFO", 12],
    ]);
    for (const p of profiles) {
      const bss = open("config_layout", p).datasecs.find((d) => d.name === ".bss");
      const hidden = bss?.vars.find((v) => v.name === "hidden_counter");
      expect(hidden?.linkage).toBe("hidden");
      expect(hidden?.skipped).toBe(p === "7.7");
    }
  });

  it("custom .bss.* sections and .struct_ops.link depend on the profile", () => {
    const names = (n: string, p: GoldenProfile) => open(n, p).maps.map((m) => m.realName);
    expect(names("config_layout", "7.7")).toContain(".bss.scratch");
    expect(names("config_layout", "7.1")).not.toContain(".bss.scratch");
    expect(names("tcp_cc_link", "7.7")).toContain("fixed_cc");
    expect(names("tcp_cc_link", "7.1")).not.toContain("fixed_cc");
  });
});

describe("hostile input", () => {
  /** Deterministic LCG so a failure names a reproducible case. */
  function rng(seed: number): () => number {
    let s = seed;
    return () => {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      return s / 0x7fffffff;
    };
  }

  it("seeded byte mutations: only BtfLensError escapes openObject, layouts and (sub)skeleton generation", async () => {
    const { generateSkeleton } = await import("../server/src/core/skel/index.js");
    const { layoutObject } = await import("../server/src/core/layout/index.js");
    const names = corpusObjects();
    const rand = rng(20260324);
    let opened = 0;
    for (let i = 0; i < 400; i++) {
      const name = names[Math.floor(rand() * names.length)] ?? "icmp_filter";
      const bytes = new Uint8Array(readObject(name));
      const edits = 1 + Math.floor(rand() * 6);
      for (let k = 0; k < edits; k++) {
        const where = rand() < 0.3 ? Math.floor(rand() * 64) : Math.floor(rand() * bytes.length);
        bytes[where] = Math.floor(rand() * 256);
      }
      const input = rand() < 0.1 ? bytes.subarray(0, Math.floor(rand() * bytes.length)) : bytes;
      for (const profile of profiles) {
        try {
          const obj = openObject(input, { profile: PROFILES[profile], name: "fuzz" });
          opened++;
          layoutObject(obj);
          generateSkeleton(obj, { profile: PROFILES[profile], kind: "skeleton" });
          generateSkeleton(obj, { profile: PROFILES[profile], kind: "subskeleton" });
        } catch (e) {
          if (!(e instanceof BtfLensError)) throw new Error(`case ${i} (${name}, ${profile}): ${(e as Error).stack}`);
        }
      }
    }
    // Most single-byte edits leave the object usable; the test must actually reach the generators.
    expect(opened).toBeGreaterThan(100);
  });
});
