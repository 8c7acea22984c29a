// Type lookup by name straight from the raw BTF records, so a vmlinux-sized BTF is never decoded whole for a hover.

import type { Btf } from "../../core/btf/parse.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class NameIndex {
  private nameOffs: Uint32Array | undefined;
  private readonly memo = new Map<string, readonly number[]>();

  /** `typeSection` is the BTF type section the Btf's typeOffsets point into. */
  constructor(
    readonly btf: Btf,
    private readonly typeSection: Uint8Array,
  ) {}

  /** name_off of every type (index = id), read from the first word of each record. */
  private offsets(): Uint32Array {
    if (this.nameOffs) return this.nameOffs;
    const n = this.btf.count;
    const out = new Uint32Array(n);
    const view = new DataView(this.typeSection.buffer, this.typeSection.byteOffset, this.typeSection.byteLength);
    const little = this.btf.order === "little";
    for (let id = 1; id < n; id++) {
      const at = this.btf.typeOffsets[id] ?? 0;
      out[id] = at + 4 <= view.byteLength ? view.getUint32(at, little) : 0;
    }
    this.nameOffs = out;
    return out;
  }

  /** Ids of all types named `name`, in id order (without decoding other types). */
  lookup(name: string): readonly number[] {
    const hit = this.memo.get(name);
    if (hit) return hit;
    const want = encoder.encode(name);
    const strs = this.btf.strings;
    const offs = this.offsets();
    const ids: number[] = [];
    const first = want[0];
    if (want.length > 0) {
      for (let id = 1; id < offs.length; id++) {
        const off = offs[id] as number;
        if (off === 0 || strs[off] !== first || off + want.length >= strs.length) continue;
        let ok = strs[off + want.length] === 0;
        for (let i = 1; ok && i < want.length; i++) ok = strs[off + i] === want[i];
        if (ok) ids.push(id);
      }
    }
    if (this.memo.size > 10_000) this.memo.clear();
    this.memo.set(name, ids);
    return ids;
  }

  /** The name of type `id` without decoding the type ("" when anonymous). */
  nameOf(id: number): string {
    const off = this.offsets()[id] ?? 0;
    if (off === 0) return "";
    const strs = this.btf.strings;
    let end = off;
    let ascii = true;
    while (end < strs.length && strs[end] !== 0) {
      if ((strs[end] as number) >= 0x80) ascii = false;
      end++;
    }
    // Almost every BTF name is ASCII: build it directly, without a TextDecoder call per name.
    if (ascii && end - off < 4096) return String.fromCharCode.apply(null, strs.subarray(off, end) as unknown as number[]);
    return decoder.decode(strs.subarray(off, end));
  }
}
