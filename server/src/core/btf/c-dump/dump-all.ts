// The whole `format c` output as bpftool prints it: header, every type (sorted or in id order), kfuncs, trailer.

import { BtfKind } from "../types.js";
import { emitTypeDecl } from "./declarators.js";
import { emitType } from "./emit-type.js";
import { orderType } from "./ordering.js";
import { sortedTypeIds, strcmpAt } from "./sort.js";
import type { DumpState } from "./state.js";

const HEADER =
  "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n" +
  "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n" +
  "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n" +
  "#endif\n\n";

/** bpftool 7.7's macros for the kfunc prototypes. */
const KFUNC_MACROS =
  '#ifndef __ksym\n#define __ksym __attribute__((section(".ksyms")))\n#endif\n\n' +
  "#ifndef __weak\n#define __weak __attribute__((weak))\n#endif\n\n" +
  "#ifndef __bpf_fastcall\n#if __has_attribute(bpf_fastcall)\n" +
  "#define __bpf_fastcall __attribute__((bpf_fastcall))\n#else\n#define __bpf_fastcall\n#endif\n#endif\n\n";

const TRAILER = "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n#endif /* __VMLINUX_H__ */\n";

const FLUSH_AT = 1 << 16;

/** libbpf btf_dump__dump_type: order `id` and the types it needs, then emit them. */
export function dumpType(d: DumpState, id: number): void {
  const queue = d.emitQueue;
  queue.len = 0;
  orderType(d, id, false);
  for (let i = 0; i < queue.len; i++) emitType(d, queue.ids[i] as number, 0);
}

function flush(d: DumpState, sink: (chunk: Uint8Array) => void, force: boolean): void {
  if (d.out.pos >= FLUSH_AT || (force && d.out.pos > 0)) sink(d.out.takeBytes());
}

/** The whole output to `sink` as UTF-8 chunks of about FLUSH_AT bytes, each ending after a whole type. */
export function dumpAll(d: DumpState, sorted: boolean, sink: (chunk: Uint8Array) => void): void {
  d.print(HEADER);
  if (d.profile.cDumpKfuncs) d.print(KFUNC_MACROS);
  const n = d.count;
  const order = sorted ? sortedTypeIds(d.r) : undefined;
  // bpftool starts at index 1 of the sorted array too: the first sorted type is skipped.
  for (let i = 1; i < n; i++) {
    dumpType(d, order ? (order[i] as number) : i);
    flush(d, sink, false);
  }
  if (d.profile.cDumpKfuncs) dumpKfuncs(d);
  d.print(TRAILER);
  flush(d, sink, true);
}

/** Functions tagged `bpf_kfunc` (and `bpf_fastcall`) as extern prototypes, sorted by name (bpftool dump_btf_kfuncs). */
function dumpKfuncs(d: DumpState): void {
  const r = d.r;
  const kfuncs: number[] = [];
  const fastcalls = new Set<number>();
  for (let id = 1; id < d.count; id++) {
    // A decl tag on the function itself (component_idx -1).
    if (r.kind(id) !== BtfKind.DECL_TAG || r.w[r.data(id)] !== 0xffffffff) continue;
    const fn = r.sizeOrType(id);
    if (r.kind(fn) !== BtfKind.FUNC) continue;
    const tag = r.name(id);
    if (tag === "bpf_kfunc") kfuncs.push(fn);
    if (tag === "bpf_fastcall") fastcalls.add(fn);
  }
  const strs = r.strings;
  kfuncs.sort((a, b) => strcmpAt(strs, r.nameOff(a), r.nameOff(b)));
  d.print("\n/* BPF kfuncs */\n#ifndef BPF_NO_KFUNC_PROTOTYPES\n");
  for (const fn of kfuncs) {
    d.print(fastcalls.has(fn) ? "extern __bpf_fastcall " : "extern ");
    emitTypeDecl(d, r.sizeOrType(fn), r.name(fn), 0);
    d.print(" __weak __ksym;\n");
  }
  d.print("#endif\n\n");
}
