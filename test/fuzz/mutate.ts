// Seeded mutations of a mapped seed: bit flips, truncation, hostile field values, type-id cycles, huge vlen, bad indices.

import type { Rng } from "./rng.js";
import type { Field, FieldRole, SeedMap } from "./seed-map.js";

export const MUTATIONS = [
  "bitflip",
  "truncate",
  "field",
  "cycle",
  "vlen",
  "kind",
  "stroff",
  "overlap",
  "shndx",
  "rel",
  "ext",
  "splice",
  "insert-delete",
  "bytes",
] as const;
export type Mutation = (typeof MUTATIONS)[number];

function write(buf: Uint8Array, f: Pick<Field, "off" | "size">, value: number, little: boolean): void {
  if (f.off < 0 || f.off + f.size > buf.length) return;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  switch (f.size) {
    case 1:
      dv.setUint8(f.off, value & 0xff);
      break;
    case 2:
      dv.setUint16(f.off, value & 0xffff, little);
      break;
    case 4:
      dv.setUint32(f.off, value >>> 0, little);
      break;
    case 8:
      dv.setBigUint64(f.off, BigInt(Math.max(0, Math.floor(value))), little);
      break;
  }
}

function read32(buf: Uint8Array, off: number, little: boolean): number {
  if (off < 0 || off + 4 > buf.length) return 0;
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(off, little);
}

function fieldsOf(map: SeedMap, roles: readonly FieldRole[]): Field[] {
  return map.fields.filter((f) => roles.includes(f.role));
}

/** Applies one mutation in place (or returns a resized copy). Falls back to a bit flip when the seed lacks the structure. */
export function mutateOnce(rng: Rng, map: SeedMap, buf: Uint8Array, m: Mutation, others: readonly SeedMap[]): Uint8Array {
  const little = map.little;
  const setSome = (roles: readonly FieldRole[], value?: (f: Field) => number): boolean => {
    const fs = fieldsOf(map, roles);
    if (fs.length === 0) return false;
    const f = rng.pick(fs);
    write(buf, f, value ? value(f) : rng.interesting(f.size), little);
    return true;
  };
  const n = buf.length;
  switch (m) {
    case "truncate":
      return buf.subarray(0, rng.below(n));
    case "field":
      if (setSome(map.fields.map((f) => f.role))) return buf;
      break;
    case "cycle": {
      const refs = map.types.filter((t) => t.refersToType);
      if (refs.length === 0) break;
      const a = rng.pick(refs);
      if (rng.chance(0.4)) {
        write(buf, { off: a.off + 8, size: 4 }, a.id, little); // self loop: typedef t t
      } else {
        const b = rng.pick(refs);
        write(buf, { off: a.off + 8, size: 4 }, b.id, little);
        write(buf, { off: b.off + 8, size: 4 }, a.id, little);
      }
      // Members and array elements may also point back at their container.
      const containers = map.types.filter((t) => t.kind === 3 || t.kind === 4 || t.kind === 5);
      if (containers.length > 0 && rng.chance(0.5)) {
        const c = rng.pick(containers);
        const slot = c.kind === 3 ? c.off + 12 : c.off + 16;
        write(buf, { off: slot, size: 4 }, rng.chance(0.5) ? c.id : a.id, little);
      }
      return buf;
    }
    case "vlen": {
      if (map.types.length === 0) break;
      const t = rng.pick(map.types);
      const info = read32(buf, t.off + 4, little);
      const vlen = rng.pick([0xffff, 0x8000, 0x7fff, rng.below(0x10000), (info & 0xffff) + 1]);
      write(buf, { off: t.off + 4, size: 4 }, (info & 0xffff0000) | vlen, little);
      return buf;
    }
    case "kind": {
      if (map.types.length === 0) break;
      const t = rng.pick(map.types);
      const info = read32(buf, t.off + 4, little);
      const kind = rng.below(32);
      const kflag = rng.chance(0.5) ? 0x80000000 : 0;
      write(buf, { off: t.off + 4, size: 4 }, (info & 0x0000ffff) | (kind << 24) | kflag | (rng.chance(0.1) ? 0x00ff0000 : 0), little);
      return buf;
    }
    case "stroff":
      if (setSome(["btf-name", "btf-extra", "ext-field", "sym-field", "shdr"], () =>
        rng.pick([map.strLen, map.strLen + 1, map.strLen - 1, 0x7fffffff, 0xffffffff, rng.below(map.strLen + 64)]),
      ))
        return buf;
      break;
    case "overlap": {
      if (map.sections.length < 2) break;
      const a = rng.pick(map.sections);
      const b = rng.pick(map.sections);
      if (rng.chance(0.5)) write(buf, { off: a.hdr + 24, size: 8 }, b.offset + rng.below(Math.max(1, b.size)), little);
      else write(buf, { off: a.hdr + 32, size: 8 }, b.offset + b.size - a.offset + rng.below(64), little);
      return buf;
    }
    case "shndx":
      if (setSome(["sym-shndx"], () => rng.pick([map.sections.length, map.sections.length + 1, 0xfff1, 0xfff2, 0xffff, 0xff00, rng.below(0x10000), rng.below(map.sections.length)])))
        return buf;
      break;
    case "rel":
      if (setSome(["rel-info", "rel-offset", "shdr-link"])) return buf;
      break;
    case "ext":
      if (setSome(["ext-header", "ext-field"])) return buf;
      break;
    case "splice": {
      const other = rng.pick(others).bytes;
      if (other.length === 0 || n === 0) break;
      const len = rng.range(1, Math.min(256, other.length));
      const from = rng.below(other.length - len + 1);
      const to = rng.below(Math.max(1, n - len + 1));
      buf.set(other.subarray(from, from + Math.min(len, n - to)), to);
      return buf;
    }
    case "insert-delete": {
      const at = rng.below(n + 1);
      if (rng.chance(0.5) && n > 0) {
        const len = rng.range(1, Math.min(64, n - at) || 1);
        const out = new Uint8Array(n - Math.min(len, n - at));
        out.set(buf.subarray(0, at));
        out.set(buf.subarray(at + len), at);
        return out;
      }
      const ins = new Uint8Array(rng.range(1, 64));
      for (let i = 0; i < ins.length; i++) ins[i] = rng.chance(0.5) ? 0 : rng.below(256);
      const out = new Uint8Array(n + ins.length);
      out.set(buf.subarray(0, at));
      out.set(ins, at);
      out.set(buf.subarray(at), at + ins.length);
      return out;
    }
    case "bytes": {
      for (let k = rng.range(1, 8); k > 0 && n > 0; k--) buf[rng.below(n)] = rng.pick([0, 0xff, 0x7f, 0x80, rng.below(256)]);
      return buf;
    }
    case "bitflip":
      break;
  }
  for (let k = rng.range(1, 8); k > 0 && n > 0; k--) {
    const i = rng.below(n);
    buf[i] = (buf[i] as number) ^ (1 << rng.below(8));
  }
  return buf;
}

/** A mutated copy of `map.bytes` with 1-4 stacked mutations. Returns the bytes and what was done (for reports). */
export function mutate(rng: Rng, map: SeedMap, others: readonly SeedMap[]): { bytes: Uint8Array; steps: Mutation[] } {
  let buf: Uint8Array = map.bytes.slice();
  const steps: Mutation[] = [];
  for (let k = rng.chance(0.6) ? 1 : rng.range(2, 4); k > 0; k--) {
    const m = rng.pick(MUTATIONS);
    steps.push(m);
    buf = mutateOnce(rng, map, buf, m, others);
  }
  return { bytes: buf, steps };
}
