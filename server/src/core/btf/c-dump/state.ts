// Per-dump state shared by the C dumper passes (libbpf's struct btf_dump): type states, names, output buffer.

import { ERRNO, BtfLensError } from "../../errors.js";
import type { Profile } from "../../profile.js";
import type { Btf } from "../parse.js";
import type { BtfType } from "../types.js";
import { Layout } from "./layout.js";
import { NameTable } from "./naming.js";

/** Topological ordering state (libbpf: btf_dump_type_order_state). */
export const NOT_ORDERED = 0;
export const ORDERING = 1;
export const ORDERED = 2;

/** Emission state (libbpf: btf_dump_type_emit_state). */
export const NOT_EMITTED = 0;
export const EMITTING = 1;
export const EMITTED = 2;

/**
 * Our own bound on recursion through the type graph (ordering, emission, declarator nesting).
 * libbpf has none and recurses until it crashes on hostile BTF; real BTF (vmlinux) stays far below it.
 */
export const MAX_NESTING = 2000;

/** Upper bound on the output we are willing to build in memory (hostile struct sizes ask for gigabytes of padding). */
export const MAX_OUTPUT_CHARS = 128 * 1024 * 1024;

export class DumpState {
  readonly btf: Btf;
  readonly types: readonly BtfType[];
  readonly profile: Profile;
  readonly ptrSize: number;
  readonly layout: Layout;
  readonly names: NameTable;
  readonly orderState: Uint8Array;
  readonly emitState: Uint8Array;
  readonly fwdEmitted: Uint8Array;
  /** Whether any other type refers to this one (decides whether an anonymous enum is top-level). */
  readonly referenced: Uint8Array;
  /** Topologically ordered ids for the current dumpType call. */
  emitQueue: number[] = [];
  /** Shared declaration stack (frames are disjoint slices, like libbpf's decl_stack). */
  readonly declStack: number[] = [];
  stripMods = false;
  /** Pending output; flushed in chunks by the caller. */
  buf = "";
  /** Characters already handed to the sink. */
  flushed = 0;

  constructor(btf: Btf, profile: Profile) {
    this.btf = btf;
    this.types = btf.types;
    this.profile = profile;
    this.ptrSize = btf.pointerSize || 8;
    const n = btf.types.length;
    this.layout = new Layout(btf, this.ptrSize);
    this.names = new NameTable(btf);
    this.orderState = new Uint8Array(n);
    this.emitState = new Uint8Array(n);
    this.fwdEmitted = new Uint8Array(n);
    this.referenced = new Uint8Array(n);
    // VOID is special: always ordered and emitted.
    this.orderState[0] = ORDERED;
    this.emitState[0] = EMITTED;
    markReferenced(this);
  }

  type(id: number): BtfType {
    const t = this.types[id];
    if (t === undefined) throw new BtfLensError("malformed", `type id ${id} out of range`, { errno: ERRNO.EINVAL });
    return t;
  }

  /** Appends output; refuses to build absurd amounts (see MAX_OUTPUT_CHARS). */
  print(s: string): void {
    this.buf += s;
  }

  checkSize(): void {
    if (this.buf.length + this.flushed > MAX_OUTPUT_CHARS) {
      throw new BtfLensError("unsupported", "C dump output too large (hostile type sizes?)", { errno: ERRNO.E2BIG });
    }
  }
}

export function loopError(id: number, what: string): BtfLensError {
  return new BtfLensError("malformed", `${what}, id:[${id}]`, { errno: ERRNO.ELOOP });
}

/** libbpf btf_dump_mark_referenced: flag every type that some other type links to. */
function markReferenced(d: DumpState): void {
  const ref = d.referenced;
  const types = d.types;
  for (let i = 1; i < types.length; i++) {
    const t = types[i] as BtfType;
    switch (t.kind) {
      case "ptr":
      case "const":
      case "volatile":
      case "restrict":
      case "typedef":
      case "type_tag":
      case "func":
      case "var":
      case "decl_tag":
        ref[t.type] = 1;
        break;
      case "array":
        ref[t.indexType] = 1;
        ref[t.type] = 1;
        break;
      case "struct":
      case "union":
        for (const m of t.members) ref[m.type] = 1;
        break;
      case "func_proto":
        for (const p of t.params) ref[p.type] = 1;
        break;
      case "datasec":
        for (const v of t.vars) ref[v.type] = 1;
        break;
      default:
        break;
    }
  }
}
