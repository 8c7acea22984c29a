// Seeded generator of random but well-formed BTF (and BPF objects around it) for property tests and fuzz seeds.

import { BtfBuilder, buildBpfObject, returnZero, STB, STT, type MemberSpec, type Order, type SymbolSpec } from "../helpers/btf-writer.js";
import type { Rng } from "./rng.js";

/** Names a .o may legally carry but that break naive HTML, markdown, C comments or terminals. */
export const HOSTILE_NAMES = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "a&amp;b",
  "**bold**_x_`code`",
  "[link](http://example.com)",
  "x */ int evil; /*",
  "line\nbreak",
  "cr\rret",
  "tab\tname",
  "esc\u001b[31mred",
  "nul\u0001ctl\u007f",
  "back\\slash",
  '"quoted"',
  "# heading",
  "|pipe|",
  "ünïcödé_名前",
  "\u202eevil",
] as const;

const IDENT_CHARS = "abcdefghijklmnopqrstuvwxyz_0123456789";

export interface GenOptions {
  /** Roughly how many types to create. */
  readonly types?: number;
  /** Probability that a name comes from HOSTILE_NAMES. */
  readonly hostile?: number;
  readonly order?: Order;
  /**
   * Let a variable share its name with another variable or a function (off by default: C cannot declare both,
   * and libbpf refuses an extern whose first VAR/FUNC of that name is not extern). Differential tests turn it on.
   */
  readonly nameCollisions?: boolean;
}

interface Info {
  readonly size: number;
  readonly align: number;
}

/** A generated BTF with what the generator knows about it (for properties). */
export interface GeneratedBtf {
  readonly builder: BtfBuilder;
  /** Data sections: name, size and the variables placed in them (type id of the VAR, offset, size). */
  readonly datasecs: readonly { name: string; id: number; size: number; vars: { varId: number; name: string; offset: number; size: number }[] }[];
}

export function randomName(rng: Rng, hostile = 0): string {
  if (rng.chance(hostile)) return rng.pick(HOSTILE_NAMES);
  const len = rng.range(1, 10);
  let s = String.fromCharCode(97 + rng.below(26));
  for (let i = 1; i < len; i++) s += IDENT_CHARS[rng.below(IDENT_CHARS.length)];
  // Occasionally reuse a very common name so the C dumper's de-duplication (___1 suffixes) is exercised.
  return rng.chance(0.05) ? "dup" : s;
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Builds a random, well-formed BTF: every reference points at an existing type, sizes are consistent. */
export function generateBtf(rng: Rng, opts: GenOptions = {}): GeneratedBtf {
  const b = new BtfBuilder();
  const info = new Map<number, Info>();
  const valueTypes: number[] = [];
  const name = (): string => randomName(rng, opts.hostile ?? 0);
  const add = (id: number, size: number, align: number, value = true): number => {
    info.set(id, { size, align });
    if (value) valueTypes.push(id);
    return id;
  };

  const intId = add(b.int("int", 4, { signed: true }), 4, 4);
  // .kconfig externs must have a type libbpf can fill (find_kcfg_type): these integers qualify.
  const kconfigTypes = [
    intId,
    add(b.int("char", 1, { signed: true, char: true }), 1, 1),
    add(b.int("unsigned long long", 8), 8, 8),
    add(b.int("_Bool", 1, { bool: true }), 1, 1),
    add(b.int("short", 2, { signed: true }), 2, 2),
  ];
  if (rng.chance(0.5)) add(b.float("double", 8), 8, 8);
  b.func("entry", b.funcProto(intId, [["ctx", b.ptr(0)]]), 1);

  const pending: { fwdName: string; fwdId: number }[] = [];
  const target = opts.types ?? rng.range(5, 60);
  /** Names of functions and variables so far (see GenOptions.nameCollisions). */
  const usedNames = new Set<string>();
  while (b.types.length < target) {
    // Only small types as building blocks, so nested arrays and structs stay small (sizes would grow exponentially).
    const pickValue = (): number => {
      const t = rng.pick(valueTypes);
      return (info.get(t)?.size ?? 0) <= 256 ? t : intId;
    };
    switch (rng.below(14)) {
      case 0:
      case 1: {
        const size = rng.pick([1, 2, 4, 8]);
        const bitsUsed = rng.chance(0.1) ? rng.range(1, size * 8) : size * 8;
        add(b.int(name(), size, { signed: rng.chance(0.5), bits: bitsUsed }), size, size);
        break;
      }
      case 2:
        add(b.ptr(rng.chance(0.2) ? 0 : pickValue()), 8, 8);
        break;
      case 3: {
        const elem = pickValue();
        const e = info.get(elem) as Info;
        const n = rng.chance(0.1) ? 0 : rng.range(1, 16);
        add(b.array(elem, intId, n), e.size * n, e.align);
        break;
      }
      case 4:
      case 5:
      case 6: {
        const isUnion = rng.chance(0.25);
        const count = rng.range(0, 6);
        const members: MemberSpec[] = [];
        let off = 0;
        let align = 1;
        let size = 0;
        for (let i = 0; i < count; i++) {
          const t = pickValue();
          const ti = info.get(t) as Info;
          const bitfield = ti.size > 0 && ti.size <= 8 && rng.chance(0.15) ? rng.range(1, ti.size * 8) : 0;
          const memberName = rng.chance(0.1) ? "" : name();
          if (isUnion) {
            members.push({ name: memberName, type: t, bitOffset: 0, bitfieldSize: bitfield });
            size = Math.max(size, ti.size);
          } else if (bitfield > 0) {
            members.push({ name: memberName, type: t, bitOffset: off * 8, bitfieldSize: bitfield });
            off += Math.ceil(bitfield / 8);
          } else {
            off = alignUp(off, ti.align);
            members.push({ name: memberName, type: t, bitOffset: off * 8 });
            off += ti.size;
          }
          align = Math.max(align, ti.align);
        }
        if (!isUnion) size = off;
        size = alignUp(size, align);
        const n = rng.chance(0.15) ? "" : name();
        add(isUnion ? b.union(n, size, members) : b.struct(n, size, members), size, align);
        break;
      }
      case 7: {
        const values: [string, number][] = [];
        for (let i = rng.range(0, 5); i > 0; i--) values.push([name(), rng.chance(0.3) ? rng.u32() : rng.below(100)]);
        add(b.enum(rng.chance(0.2) ? "" : name(), 4, values, rng.chance(0.3)), 4, 4);
        break;
      }
      case 8: {
        const values: [string, bigint][] = [];
        for (let i = rng.range(1, 4); i > 0; i--) values.push([name(), (BigInt(rng.u32()) << 32n) | BigInt(rng.u32())]);
        add(b.enum64(name(), 8, values, rng.chance(0.3)), 8, 8);
        break;
      }
      case 9: {
        const t = pickValue();
        const ti = info.get(t) as Info;
        add(b.typedef(name(), t), ti.size, ti.align);
        break;
      }
      case 10: {
        const t = pickValue();
        const ti = info.get(t) as Info;
        const mod = rng.pick(["const", "volatile", "restrict", "tag"] as const);
        const id = mod === "const" ? b.const(t) : mod === "volatile" ? b.volatile(t) : mod === "restrict" ? b.restrict(b.ptr(t)) : b.typeTag(name(), b.ptr(t));
        add(id, mod === "restrict" || mod === "tag" ? 8 : ti.size, mod === "restrict" || mod === "tag" ? 8 : ti.align);
        break;
      }
      case 11: {
        // A forward declaration, completed later by a struct of the same name, with a pointer to it now.
        const n = name();
        const fwd = b.fwd(n, false);
        add(b.ptr(fwd), 8, 8);
        pending.push({ fwdName: n, fwdId: fwd });
        break;
      }
      case 12: {
        const params: [string, number][] = [];
        for (let i = rng.range(0, 4); i > 0; i--) params.push([rng.chance(0.2) ? "" : name(), pickValue()]);
        const fp = b.funcProto(rng.chance(0.3) ? 0 : pickValue(), params);
        const fn = name();
        usedNames.add(fn);
        const f = b.func(fn, fp, rng.pick([0, 1, 2]));
        if (rng.chance(0.3)) b.declTag(name(), f, -1);
        add(b.ptr(fp), 8, 8);
        break;
      }
      default: {
        const t = pickValue();
        if (rng.chance(0.5)) b.declTag(name(), t, -1);
        else add(b.ptr(t), 8, 8);
        break;
      }
    }
  }
  for (const p of pending) {
    if (rng.chance(0.7)) add(b.struct(p.fwdName, 8, [{ name: "x", type: intId, bitOffset: 0 }]), 8, 8);
  }

  // Variables in data sections, laid out with their alignment like clang does.
  const datasecs: { name: string; id: number; size: number; vars: { varId: number; name: string; offset: number; size: number }[] }[] = [];
  const secNames = [".data", ".bss", ".rodata", ".data.custom", ".rodata.cfg", ".kconfig"];
  for (const sec of secNames) {
    if (!rng.chance(0.5)) continue;
    const vars: { varId: number; name: string; offset: number; size: number }[] = [];
    let off = 0;
    for (let i = rng.range(1, 6); i > 0; i--) {
      const t = sec === ".kconfig" ? rng.pick(kconfigTypes) : rng.pick(valueTypes);
      const ti = info.get(t) as Info;
      if (ti.size === 0 || ti.size > 4096) continue;
      off = alignUp(off, ti.align);
      let vn = `${name()}_${vars.length}`;
      while (!opts.nameCollisions && usedNames.has(vn)) vn = `${vn}_`;
      usedNames.add(vn);
      const linkage = sec === ".kconfig" ? 2 : rng.chance(0.2) ? 0 : 1;
      const varId = b.variable(vn, sec === ".rodata" && rng.chance(0.5) ? b.const(t) : t, linkage);
      vars.push({ varId, name: vn, offset: off, size: ti.size });
      off += ti.size;
    }
    if (vars.length === 0) continue;
    const size = alignUp(off, rng.pick([1, 4, 8]));
    const id = b.datasec(sec, size, vars.map((v) => ({ type: v.varId, offset: v.offset, size: v.size })));
    datasecs.push({ name: sec, id, size, vars });
  }
  return { builder: b, datasecs };
}

/** Wraps a generated BTF in a BPF object whose data sections and symbols agree with the DATASECs. */
export function generatedObject(gen: GeneratedBtf, order: Order = "little"): Uint8Array {
  const symbols: SymbolSpec[] = [{ name: "entry", section: "xdp", type: STT.FUNC, size: 16 }];
  const extra: { name: string; type: number; flags: number; data?: Uint8Array; size?: number; addralign: number }[] = [];
  let data: Uint8Array | undefined;
  let rodata: Uint8Array | undefined;
  let bss: number | undefined;
  for (const d of gen.datasecs) {
    if (d.name === ".kconfig") {
      for (const v of d.vars) symbols.push({ name: v.name, section: 0, type: STT.NOTYPE, bind: STB.GLOBAL });
      continue;
    }
    if (d.name === ".data") data = new Uint8Array(d.size);
    else if (d.name === ".rodata") rodata = new Uint8Array(d.size);
    else if (d.name === ".bss") bss = d.size;
    else extra.push({ name: d.name, type: 1, flags: d.name.startsWith(".rodata") ? 2 : 3, data: new Uint8Array(d.size), addralign: 8 });
    for (const v of d.vars) symbols.push({ name: v.name, section: d.name, value: v.offset, size: v.size, type: STT.OBJECT, bind: STB.GLOBAL });
  }
  return buildBpfObject({
    order,
    btf: gen.builder.encode(order),
    programs: { xdp: returnZero(order) },
    license: "GPL",
    ...(data ? { data } : {}),
    ...(rodata ? { rodata } : {}),
    ...(bss !== undefined ? { bss } : {}),
    extraSections: extra,
    symbols,
  });
}
