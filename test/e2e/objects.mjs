// Minimal, independent ELF64/BTF reading and patching for e2e expectations (symbols) and hostile fixtures (renamed BTF).
// Deliberately separate from server/src/core: the tests must not take expectations from the code under test.

const BTF_MAGIC = 0xeb9f;
const SHT_SYMTAB = 2;

/** Little-endian ELF64 sections: [{ name, type, offset, size, link, index }]. */
export function elfSections(buf) {
  if (buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) throw new Error("not a little-endian ELF64");
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const shentsize = buf.readUInt16LE(0x3a);
  const shnum = buf.readUInt16LE(0x3c);
  const shstrndx = buf.readUInt16LE(0x3e);
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * shentsize;
    raw.push({
      index: i,
      header: h,
      nameOff: buf.readUInt32LE(h),
      type: buf.readUInt32LE(h + 4),
      offset: Number(buf.readBigUInt64LE(h + 24)),
      size: Number(buf.readBigUInt64LE(h + 32)),
      link: buf.readUInt32LE(h + 40),
    });
  }
  const strs = raw[shstrndx];
  return raw.map((s) => ({ ...s, name: cstr(buf, strs.offset + s.nameOff) }));
}

function cstr(buf, at) {
  const end = buf.indexOf(0, at);
  return buf.toString("latin1", at, end < 0 ? buf.length : end);
}

/** ELF symbols with their section names: [{ name, section, value, size, index, entry }]. */
export function elfSymbols(buf) {
  const secs = elfSections(buf);
  const symtab = secs.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) return [];
  const strtab = secs[symtab.link];
  const out = [];
  for (let i = 0; i < symtab.size / 24; i++) {
    const e = symtab.offset + i * 24;
    const shndx = buf.readUInt16LE(e + 6);
    out.push({
      index: i,
      entry: e,
      name: cstr(buf, strtab.offset + buf.readUInt32LE(e)),
      section: secs[shndx]?.name ?? "",
      value: Number(buf.readBigUInt64LE(e + 8)),
      size: Number(buf.readBigUInt64LE(e + 16)),
      info: buf[e + 4],
    });
  }
  return out;
}

/** Global data symbols of one section, sorted by offset (what libbpf uses to lay out a DATASEC). */
export function sectionVariables(buf, section) {
  return elfSymbols(buf)
    .filter((s) => s.section === section && (s.info & 0xf) === 1 /* STT_OBJECT */)
    .sort((a, b) => a.value - b.value);
}

const KIND_EXTRA = (kind, vlen) =>
  ({ 1: 4, 3: 12, 4: 12 * vlen, 5: 12 * vlen, 6: 8 * vlen, 13: 8 * vlen, 14: 4, 15: 12 * vlen, 17: 4, 19: 12 * vlen })[
    kind
  ] ?? 0;

/** BTF types of a .BTF blob: [{ id, kind, nameOff, name, at }] where `at` is the name_off position inside the blob. */
export function btfTypes(btf) {
  if (btf.readUInt16LE(0) !== BTF_MAGIC) throw new Error("not a little-endian BTF blob");
  const hdrLen = btf.readUInt32LE(4);
  const typeStart = hdrLen + btf.readUInt32LE(8);
  const typeEnd = typeStart + btf.readUInt32LE(12);
  const strStart = hdrLen + btf.readUInt32LE(16);
  const out = [];
  let at = typeStart;
  for (let id = 1; at < typeEnd; id++) {
    const nameOff = btf.readUInt32LE(at);
    const info = btf.readUInt32LE(at + 4);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const members = [];
    if (kind === 4 || kind === 5) {
      for (let i = 0; i < vlen; i++) {
        const m = at + 12 + i * 12;
        members.push({ name: cstr(btf, strStart + btf.readUInt32LE(m)), at: m });
      }
    }
    out.push({ id, kind, nameOff, name: cstr(btf, strStart + nameOff), at, members });
    at += 12 + KIND_EXTRA(kind, vlen);
  }
  return out;
}

/** Moves a section's contents to the end of the file (8-byte aligned) with new bytes, updating its header. */
function replaceSection(buf, sec, data) {
  const pad = (8 - (buf.length % 8)) % 8;
  const offset = buf.length + pad;
  const out = Buffer.concat([buf, Buffer.alloc(pad), data]);
  out.writeBigUInt64LE(BigInt(offset), sec.header + 24);
  out.writeBigUInt64LE(BigInt(data.length), sec.header + 32);
  return out;
}

/**
 * Renames BTF types (VAR, FUNC, TYPEDEF, STRUCT ...) and, for VAR/FUNC, the ELF symbol of the same name, to arbitrary
 * strings (HTML, markdown, control characters). The new strings are appended to the string tables, so no existing
 * offset moves and the object stays consistent for libbpf-style readers. `renames` maps old name -> new name; a key
 * `STRUCT.member` renames a member of the struct or union named STRUCT.
 */
export function renameInObject(input, renames) {
  let buf = Buffer.from(input);
  const btfSec = elfSections(buf).find((s) => s.name === ".BTF");
  if (!btfSec) throw new Error("object has no .BTF");
  const btf = Buffer.from(buf.subarray(btfSec.offset, btfSec.offset + btfSec.size));
  const hdrLen = btf.readUInt32LE(4);
  const strOff = btf.readUInt32LE(16);
  const strLen = btf.readUInt32LE(20);
  if (hdrLen + strOff + strLen !== btf.length) throw new Error("BTF string section is not at the end of .BTF");
  const types = btfTypes(btf);
  const extra = [];
  let next = strLen;
  const done = new Set();
  for (const [from, to] of Object.entries(renames)) {
    const [owner, member] = from.includes(".") ? from.split(".") : [from, undefined];
    const hits = types.filter((t) => t.name === owner && t.nameOff !== 0);
    if (!hits.length) throw new Error(`no BTF type named ${owner}`);
    const spots = member === undefined ? hits.map((t) => t.at) : hits.flatMap((t) => t.members.filter((m) => m.name === member).map((m) => m.at));
    if (!spots.length) throw new Error(`no member ${from}`);
    const bytes = Buffer.concat([Buffer.from(to, "utf8"), Buffer.alloc(1)]);
    for (const at of spots) btf.writeUInt32LE(next, at);
    extra.push(bytes);
    next += bytes.length;
    done.add(from);
  }
  const newBtf = Buffer.concat([btf, ...extra]);
  newBtf.writeUInt32LE(next, 20);
  buf = replaceSection(buf, btfSec, newBtf);

  // ELF symbols: append the new names to the symbol string table and point the symbols at them.
  const secs = elfSections(buf);
  const symtab = secs.find((s) => s.type === SHT_SYMTAB);
  const strtab = secs[symtab.link];
  const strs = [buf.subarray(strtab.offset, strtab.offset + strtab.size)];
  let strEnd = strtab.size;
  const patches = [];
  for (const sym of elfSymbols(buf)) {
    const to = renames[sym.name];
    if (to === undefined || !sym.name) continue;
    patches.push([sym.entry, strEnd]);
    const bytes = Buffer.concat([Buffer.from(to, "utf8"), Buffer.alloc(1)]);
    strs.push(bytes);
    strEnd += bytes.length;
  }
  for (const [entry, off] of patches) buf.writeUInt32LE(off, entry);
  return replaceSection(buf, strtab, Buffer.concat(strs));
}
