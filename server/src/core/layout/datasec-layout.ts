// Data-section layout: each variable's offset, size, alignment and C type, the holes between them, and
// bpftool's `char __padN[]` decisions (alignment capped at 4), computed once for the skeleton and the editor.

import type { Btf } from "../btf/parse.js";
import { alignOf } from "../object/btf-util.js";
import type { DataSection, DataVar } from "../object/types.js";

/** Cache-line size used for the layout view's line index. */
export const CACHE_LINE = 64;
/** bpftool assumes 32-bit targets when deciding on explicit padding (gen.c codegen_datasec_def). */
export const SKEL_MAX_ALIGN = 4;

export interface LayoutVar {
  readonly name: string;
  readonly var: DataVar;
  readonly offset: number;
  readonly size: number;
  /** btf__align_of of the type (-1 when unknown). */
  readonly align: number;
  /** C type as a declaration without a name (filled by the caller's `describe`), or "". */
  readonly cType: string;
  /** Bytes between the end of the previous variable (any linkage) and this one. */
  readonly holeBefore: number;
  /** Index of the cache line holding the first byte. */
  readonly cacheLine: number;
  /** True when the variable spans two or more cache lines. */
  readonly crossesCacheLine: boolean;
  /** For exposed variables: the `char __padN[K]` the skeleton writes before it (K), or 0. */
  readonly skelPadBefore: number;
  /** For exposed variables: where the skeleton's struct is before it (the end of the previous exposed variable). */
  readonly skelOffBefore: number;
}

export interface DatasecLayout {
  readonly section: string;
  readonly size: number;
  /** All variables in offset order (static ones included, marked by var.skipped). */
  readonly vars: readonly LayoutVar[];
  /** Bytes after the last variable up to the section size. */
  readonly tailPadding: number;
  /** Sum of holes + tail padding. */
  readonly wasted: number;
  /** Problems such as overlapping variables or unknown alignment (bpftool fails on these). */
  readonly problems: readonly string[];
}

export interface LayoutOptions {
  /** Renders a type id as a C type (for the editor); omitted: cType is "". */
  readonly describe?: (typeId: number, v: DataVar) => string;
}

/** Lays out one data section. Pure; bounds are checked against the section size. */
export function layoutDatasec(btf: Btf | undefined, sec: DataSection, options: LayoutOptions = {}): DatasecLayout {
  const problems: string[] = [];
  const sorted = [...sec.vars].sort((a, b) => a.offset - b.offset);
  let end = 0;
  let skelOff = 0;
  const vars: LayoutVar[] = [];
  for (const v of sorted) {
    const align = btf ? alignOf(btf, v.typeId) : -1;
    if (v.offset < 0 || v.offset + v.size > sec.size) problems.push(`${v.name}: [${v.offset}, +${v.size}) is outside the section (${sec.size} bytes)`);
    const holeBefore = Math.max(0, v.offset - end);
    if (v.offset < end) problems.push(`${v.name}: overlaps the previous variable (offset ${v.offset} < ${end})`);
    let skelPadBefore = 0;
    const skelOffBefore = skelOff;
    if (!v.skipped) {
      if (skelOff > v.offset) problems.push(`${v.name}: need offset ${v.offset}, already at ${skelOff}`);
      if (align <= 0) problems.push(`${v.name}: alignment cannot be determined`);
      const a = Math.min(Math.max(align, 1), SKEL_MAX_ALIGN);
      const aligned = Math.ceil(skelOff / a) * a;
      if (aligned !== v.offset) skelPadBefore = v.offset - skelOff;
      skelOff = v.offset + v.size;
    }
    const first = Math.floor(v.offset / CACHE_LINE);
    const last = Math.floor((v.offset + Math.max(v.size, 1) - 1) / CACHE_LINE);
    vars.push({
      name: v.name,
      var: v,
      offset: v.offset,
      size: v.size,
      align,
      cType: options.describe ? options.describe(v.typeId, v) : "",
      holeBefore,
      cacheLine: first,
      crossesCacheLine: last > first,
      skelPadBefore,
      skelOffBefore,
    });
    end = Math.max(end, v.offset + v.size);
  }
  const tailPadding = Math.max(0, sec.size - end);
  const wasted = vars.reduce((n, v) => n + v.holeBefore, 0) + tailPadding;
  return { section: sec.name, size: sec.size, vars, tailPadding, wasted, problems };
}
