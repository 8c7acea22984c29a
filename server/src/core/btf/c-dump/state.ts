// Per-dump state shared by the C dumper passes (libbpf's struct btf_dump): type states, names, output buffer.

import { ERRNO, BtfLensError } from "../../errors.js";
import type { Profile } from "../../profile.js";
import type { Btf } from "../parse.js";
import { BtfKind } from "../types.js";
import { Layout } from "./layout.js";
import { NameTable } from "./naming.js";
import { OutBuf } from "./out.js";
import { RawTypes } from "./raw.js";

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


export class DumpState {
  readonly btf: Btf;
  /** The type records (hot paths read these rather than the decoded model). */
  readonly r: RawTypes;
  readonly count: number;
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
  readonly emitQueue = new IdStack();
  /** Shared declaration stack (frames are disjoint slices, like libbpf's decl_stack). */
  readonly declStack = new IdStack();
  stripMods = false;
  /** Pending output; taken in chunks by the caller. */
  readonly out = new OutBuf();

  constructor(btf: Btf, profile: Profile) {
    this.btf = btf;
    this.r = new RawTypes(btf);
    this.count = btf.count;
    this.profile = profile;
    this.ptrSize = btf.pointerSize || 8;
    const n = this.count;
    this.layout = new Layout(this.r, this.ptrSize);
    this.names = new NameTable(this.r);
    this.orderState = new Uint8Array(n);
    this.emitState = new Uint8Array(n);
    this.fwdEmitted = new Uint8Array(n);
    this.referenced = new Uint8Array(n);
    // VOID is special: always ordered and emitted.
    this.orderState[0] = ORDERED;
    this.emitState[0] = EMITTED;
    markReferenced(this);
  }

  /** Checks an id from outside (API callers); ids inside the BTF were validated by the parser. */
  checkId(id: number): void {
    if (!(id >= 0 && id < this.count)) throw new BtfLensError("malformed", `type id ${id} out of range`, { errno: ERRNO.EINVAL });
  }

  print(s: string): void {
    this.out.print(s);
  }
}

/** A growable stack of type ids (plain arrays would be trimmed and regrown on every reset). */
export class IdStack {
  ids = new Int32Array(64);
  len = 0;

  push(id: number): void {
    if (this.len === this.ids.length) {
      const bigger = new Int32Array(this.len * 2);
      bigger.set(this.ids);
      this.ids = bigger;
    }
    this.ids[this.len++] = id;
  }
}

export function loopError(id: number, what: string): BtfLensError {
  return new BtfLensError("malformed", `${what}, id:[${id}]`, { errno: ERRNO.ELOOP });
}

/** libbpf btf_dump_mark_referenced: flag every type that some other type links to. */
function markReferenced(d: DumpState): void {
  const ref = d.referenced;
  const { w, at, kinds } = d.r;
  for (let id = 1; id < d.count; id++) {
    const a = at[id] as number;
    const vlen = (w[a + 1] as number) & 0xffff;
    switch (kinds[id]) {
      case BtfKind.PTR:
      case BtfKind.CONST:
      case BtfKind.VOLATILE:
      case BtfKind.RESTRICT:
      case BtfKind.TYPEDEF:
      case BtfKind.TYPE_TAG:
      case BtfKind.FUNC:
      case BtfKind.VAR:
      case BtfKind.DECL_TAG:
        ref[w[a + 2] as number] = 1;
        break;
      case BtfKind.ARRAY:
        ref[w[a + 4] as number] = 1;
        ref[w[a + 3] as number] = 1;
        break;
      case BtfKind.STRUCT:
      case BtfKind.UNION:
        for (let i = 0; i < vlen; i++) ref[w[a + 4 + 3 * i] as number] = 1;
        break;
      case BtfKind.FUNC_PROTO:
        // Parameters only: libbpf does not mark the return type.
        for (let i = 0; i < vlen; i++) ref[w[a + 4 + 2 * i] as number] = 1;
        break;
      case BtfKind.DATASEC:
        for (let i = 0; i < vlen; i++) ref[w[a + 3 + 3 * i] as number] = 1;
        break;
      default:
        break;
    }
  }
}
