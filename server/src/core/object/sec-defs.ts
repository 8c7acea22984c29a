// libbpf's section_defs table as data: program type, expected attach type and flags deduced from a SEC() name.

/** BPF_PROG_TYPE_* names (lower case, no prefix), indexed by number (uapi bpf.h). */
export const PROG_TYPE_NAMES = [
  "unspec", "socket_filter", "kprobe", "sched_cls", "sched_act", "tracepoint", "xdp", "perf_event",
  "cgroup_skb", "cgroup_sock", "lwt_in", "lwt_out", "lwt_xmit", "sock_ops", "sk_skb", "cgroup_device",
  "sk_msg", "raw_tracepoint", "cgroup_sock_addr", "lwt_seg6local", "lirc_mode2", "sk_reuseport",
  "flow_dissector", "cgroup_sysctl", "raw_tracepoint_writable", "cgroup_sockopt", "tracing", "struct_ops",
  "ext", "lsm", "sk_lookup", "syscall", "netfilter",
] as const;

/** BPF_* attach type names (lower case, no prefix), indexed by number (uapi bpf.h). */
export const ATTACH_TYPE_NAMES = [
  "cgroup_inet_ingress", "cgroup_inet_egress", "cgroup_inet_sock_create", "cgroup_sock_ops",
  "sk_skb_stream_parser", "sk_skb_stream_verdict", "cgroup_device", "sk_msg_verdict", "cgroup_inet4_bind",
  "cgroup_inet6_bind", "cgroup_inet4_connect", "cgroup_inet6_connect", "cgroup_inet4_post_bind",
  "cgroup_inet6_post_bind", "cgroup_udp4_sendmsg", "cgroup_udp6_sendmsg", "lirc_mode2", "flow_dissector",
  "cgroup_sysctl", "cgroup_udp4_recvmsg", "cgroup_udp6_recvmsg", "cgroup_getsockopt", "cgroup_setsockopt",
  "trace_raw_tp", "trace_fentry", "trace_fexit", "modify_return", "lsm_mac", "trace_iter",
  "cgroup_inet4_getpeername", "cgroup_inet6_getpeername", "cgroup_inet4_getsockname",
  "cgroup_inet6_getsockname", "xdp_devmap", "cgroup_inet_sock_release", "xdp_cpumap", "sk_lookup", "xdp",
  "sk_skb_verdict", "sk_reuseport_select", "sk_reuseport_select_or_migrate", "perf_event",
  "trace_kprobe_multi", "lsm_cgroup", "struct_ops", "netfilter", "tcx_ingress", "tcx_egress",
  "trace_uprobe_multi", "cgroup_unix_connect", "cgroup_unix_sendmsg", "cgroup_unix_recvmsg",
  "cgroup_unix_getpeername", "cgroup_unix_getsockname", "netkit_primary", "netkit_peer",
  "trace_kprobe_session", "trace_uprobe_session", "trace_fsession",
] as const;

/** BPF_MAP_TYPE_* names (lower case, no prefix), indexed by number (uapi bpf.h). */
export const MAP_TYPE_NAMES = [
  "unspec", "hash", "array", "prog_array", "perf_event_array", "percpu_hash", "percpu_array", "stack_trace",
  "cgroup_array", "lru_hash", "lru_percpu_hash", "lpm_trie", "array_of_maps", "hash_of_maps", "devmap",
  "sockmap", "cpumap", "xskmap", "sockhash", "cgroup_storage", "reuseport_sockarray",
  "percpu_cgroup_storage", "queue", "stack", "sk_storage", "devmap_hash", "struct_ops", "ringbuf",
  "inode_storage", "task_storage", "bloom_filter", "user_ringbuf", "cgrp_storage", "arena", "insn_array",
] as const;

export const MAP_TYPE = { ARRAY: 2, PROG_ARRAY: 3, ARRAY_OF_MAPS: 12, HASH_OF_MAPS: 13, STRUCT_OPS: 26, ARENA: 33 } as const;

export interface SecDef {
  /** Pattern as libbpf writes it: `kprobe+` (exact or `kprobe/...`), `xdp/` (prefix), `xdp` (exact). */
  readonly sec: string;
  readonly progType: string;
  /** Attach type name, or "" for 0 (none). */
  readonly attach: string;
  readonly sleepable: boolean;
  /** First libbpf version (1.1 or 1.7) that has this entry. */
  readonly since: "1.1" | "1.7";
}

// [pattern, prog type, attach type, sleepable?, only in 1.7?]
type Row = [string, string, string, boolean?, boolean?];
const ROWS: Row[] = [
  ["socket", "socket_filter", ""],
  ["sk_reuseport/migrate", "sk_reuseport", "sk_reuseport_select_or_migrate"],
  ["sk_reuseport", "sk_reuseport", "sk_reuseport_select"],
  ["kprobe+", "kprobe", ""],
  ["uprobe+", "kprobe", ""],
  ["uprobe.s+", "kprobe", "", true],
  ["kretprobe+", "kprobe", ""],
  ["uretprobe+", "kprobe", ""],
  ["uretprobe.s+", "kprobe", "", true],
  ["kprobe.multi+", "kprobe", "trace_kprobe_multi"],
  ["kretprobe.multi+", "kprobe", "trace_kprobe_multi"],
  ["kprobe.session+", "kprobe", "trace_kprobe_session", false, true],
  ["uprobe.multi+", "kprobe", "trace_uprobe_multi", false, true],
  ["uretprobe.multi+", "kprobe", "trace_uprobe_multi", false, true],
  ["uprobe.session+", "kprobe", "trace_uprobe_session", false, true],
  ["uprobe.multi.s+", "kprobe", "trace_uprobe_multi", true, true],
  ["uretprobe.multi.s+", "kprobe", "trace_uprobe_multi", true, true],
  ["uprobe.session.s+", "kprobe", "trace_uprobe_session", true, true],
  ["ksyscall+", "kprobe", ""],
  ["kretsyscall+", "kprobe", ""],
  ["usdt+", "kprobe", ""],
  ["usdt.s+", "kprobe", "", true, true],
  ["tc/ingress", "sched_cls", "tcx_ingress", false, true],
  ["tc/egress", "sched_cls", "tcx_egress", false, true],
  ["tcx/ingress", "sched_cls", "tcx_ingress", false, true],
  ["tcx/egress", "sched_cls", "tcx_egress", false, true],
  ["tc", "sched_cls", ""],
  ["classifier", "sched_cls", ""],
  ["action", "sched_act", ""],
  ["netkit/primary", "sched_cls", "netkit_primary", false, true],
  ["netkit/peer", "sched_cls", "netkit_peer", false, true],
  ["tracepoint+", "tracepoint", ""],
  ["tp+", "tracepoint", ""],
  ["raw_tracepoint+", "raw_tracepoint", ""],
  ["raw_tp+", "raw_tracepoint", ""],
  ["raw_tracepoint.w+", "raw_tracepoint_writable", ""],
  ["raw_tp.w+", "raw_tracepoint_writable", ""],
  ["tp_btf+", "tracing", "trace_raw_tp"],
  ["fentry+", "tracing", "trace_fentry"],
  ["fmod_ret+", "tracing", "modify_return"],
  ["fexit+", "tracing", "trace_fexit"],
  ["fentry.s+", "tracing", "trace_fentry", true],
  ["fmod_ret.s+", "tracing", "modify_return", true],
  ["fexit.s+", "tracing", "trace_fexit", true],
  ["fsession+", "tracing", "trace_fsession", false, true],
  ["fsession.s+", "tracing", "trace_fsession", true, true],
  ["freplace+", "ext", ""],
  ["lsm+", "lsm", "lsm_mac"],
  ["lsm.s+", "lsm", "lsm_mac", true],
  ["lsm_cgroup+", "lsm", "lsm_cgroup"],
  ["iter+", "tracing", "trace_iter"],
  ["iter.s+", "tracing", "trace_iter", true],
  ["syscall", "syscall", "", true],
  ["xdp.frags/devmap", "xdp", "xdp_devmap"],
  ["xdp/devmap", "xdp", "xdp_devmap"],
  ["xdp.frags/cpumap", "xdp", "xdp_cpumap"],
  ["xdp/cpumap", "xdp", "xdp_cpumap"],
  ["xdp.frags", "xdp", "xdp"],
  ["xdp", "xdp", "xdp"],
  ["perf_event", "perf_event", ""],
  ["lwt_in", "lwt_in", ""],
  ["lwt_out", "lwt_out", ""],
  ["lwt_xmit", "lwt_xmit", ""],
  ["lwt_seg6local", "lwt_seg6local", ""],
  ["sockops", "sock_ops", "cgroup_sock_ops"],
  ["sk_skb/stream_parser", "sk_skb", "sk_skb_stream_parser"],
  ["sk_skb/stream_verdict", "sk_skb", "sk_skb_stream_verdict"],
  ["sk_skb/verdict", "sk_skb", "sk_skb_verdict", false, true],
  ["sk_skb", "sk_skb", ""],
  ["sk_msg", "sk_msg", "sk_msg_verdict"],
  ["lirc_mode2", "lirc_mode2", "lirc_mode2"],
  ["flow_dissector", "flow_dissector", "flow_dissector"],
  ["cgroup_skb/ingress", "cgroup_skb", "cgroup_inet_ingress"],
  ["cgroup_skb/egress", "cgroup_skb", "cgroup_inet_egress"],
  ["cgroup/skb", "cgroup_skb", ""],
  ["cgroup/sock_create", "cgroup_sock", "cgroup_inet_sock_create"],
  ["cgroup/sock_release", "cgroup_sock", "cgroup_inet_sock_release"],
  ["cgroup/sock", "cgroup_sock", "cgroup_inet_sock_create"],
  ["cgroup/post_bind4", "cgroup_sock", "cgroup_inet4_post_bind"],
  ["cgroup/post_bind6", "cgroup_sock", "cgroup_inet6_post_bind"],
  ["cgroup/bind4", "cgroup_sock_addr", "cgroup_inet4_bind"],
  ["cgroup/bind6", "cgroup_sock_addr", "cgroup_inet6_bind"],
  ["cgroup/connect4", "cgroup_sock_addr", "cgroup_inet4_connect"],
  ["cgroup/connect6", "cgroup_sock_addr", "cgroup_inet6_connect"],
  ["cgroup/connect_unix", "cgroup_sock_addr", "cgroup_unix_connect", false, true],
  ["cgroup/sendmsg4", "cgroup_sock_addr", "cgroup_udp4_sendmsg"],
  ["cgroup/sendmsg6", "cgroup_sock_addr", "cgroup_udp6_sendmsg"],
  ["cgroup/sendmsg_unix", "cgroup_sock_addr", "cgroup_unix_sendmsg", false, true],
  ["cgroup/recvmsg4", "cgroup_sock_addr", "cgroup_udp4_recvmsg"],
  ["cgroup/recvmsg6", "cgroup_sock_addr", "cgroup_udp6_recvmsg"],
  ["cgroup/recvmsg_unix", "cgroup_sock_addr", "cgroup_unix_recvmsg", false, true],
  ["cgroup/getpeername4", "cgroup_sock_addr", "cgroup_inet4_getpeername"],
  ["cgroup/getpeername6", "cgroup_sock_addr", "cgroup_inet6_getpeername"],
  ["cgroup/getpeername_unix", "cgroup_sock_addr", "cgroup_unix_getpeername", false, true],
  ["cgroup/getsockname4", "cgroup_sock_addr", "cgroup_inet4_getsockname"],
  ["cgroup/getsockname6", "cgroup_sock_addr", "cgroup_inet6_getsockname"],
  ["cgroup/getsockname_unix", "cgroup_sock_addr", "cgroup_unix_getsockname", false, true],
  ["cgroup/sysctl", "cgroup_sysctl", "cgroup_sysctl"],
  ["cgroup/getsockopt", "cgroup_sockopt", "cgroup_getsockopt"],
  ["cgroup/setsockopt", "cgroup_sockopt", "cgroup_setsockopt"],
  ["cgroup/dev", "cgroup_device", "cgroup_device"],
  ["struct_ops+", "struct_ops", ""],
  ["struct_ops.s+", "struct_ops", "", true, true],
  ["sk_lookup", "sk_lookup", "sk_lookup"],
  ["netfilter", "netfilter", "netfilter", false, true],
];

export const SECTION_DEFS: readonly SecDef[] = ROWS.map(([sec, progType, attach, sleepable, only17]) => ({
  sec,
  progType,
  attach,
  sleepable: sleepable ?? false,
  since: only17 ? "1.7" : "1.1",
}));

/** libbpf's sec_def_matches(): `x+` matches `x` and `x/...`; `x/` is a prefix; otherwise exact. */
export function secDefMatches(def: string, secName: string): boolean {
  if (def.endsWith("/")) return secName.startsWith(def);
  if (def.endsWith("+")) {
    const stem = def.slice(0, -1);
    if (!secName.startsWith(stem)) return false;
    const next = secName.charAt(stem.length);
    return next === "" || next === "/";
  }
  return secName === def;
}

/** The first matching section definition for this libbpf version, as find_sec_def() returns it. */
export function findSecDef(secName: string, libbpf17: boolean): SecDef | undefined {
  for (const d of SECTION_DEFS) {
    if (!libbpf17 && d.since === "1.7") continue;
    if (secDefMatches(d.sec, secName)) return d;
  }
  return undefined;
}

export function progTypeNumber(name: string): number {
  return (PROG_TYPE_NAMES as readonly string[]).indexOf(name);
}

export function attachTypeNumber(name: string): number {
  return name === "" ? 0 : (ATTACH_TYPE_NAMES as readonly string[]).indexOf(name);
}

export function mapTypeName(type: number): string {
  return MAP_TYPE_NAMES[type] ?? `unknown(${type})`;
}
