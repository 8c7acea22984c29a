// Parses a .BTF blob (header, type section, string section) into the model and validates it as libbpf does.

import { ByteReader, cString, type ByteOrder } from "../bytes.js";
import { type BtfLensError, ERRNO, malformed, truncated, unsupported } from "../errors.js";
import {
  BTF_KIND_MAX,
  BtfKind,
  bits,
  type BtfEnumValue,
  type BtfMember,
  type BtfParam,
  type BtfType,
  type BtfVarSecinfo,
} from "./types.js";

export const BTF_MAGIC = 0xeb9f;
const HEADER_SIZE = 24;
/** libbpf: BTF_MAX_STR_OFFSET. */
const MAX_STR_OFFSET = 0x7fffffff;

export interface BtfHeader {
  readonly version: number;
  readonly flags: number;
  readonly hdrLen: number;
  readonly typeOff: number;
  readonly typeLen: number;
  readonly strOff: number;
  readonly strLen: number;
}

/** A parsed, validated BTF: `types[id]`, with `types[0]` being void. */
export class Btf {
  readonly header: BtfHeader;
  readonly order: ByteOrder;
  readonly types: readonly BtfType[];
  /** Byte offset of each type record in the blob (index = type id; 0 for void). */
  readonly typeOffsets: Uint32Array;
  readonly strings: Uint8Array;
  /** 8 for ELF64 objects and raw BTF, as libbpf assumes. */
  readonly pointerSize: number;
  private byName: Map<string, number[]> | undefined;

  constructor(header: BtfHeader, order: ByteOrder, types: BtfType[], typeOffsets: Uint32Array, strings: Uint8Array) {
    this.header = header;
    this.order = order;
    this.types = types;
    this.typeOffsets = typeOffsets;
    this.strings = strings;
    this.pointerSize = 8;
  }

  /** Number of type ids including void, like btf__type_cnt. */
  get count(): number {
    return this.types.length;
  }

  type(id: number): BtfType {
    const t = this.types[id];
    if (t === undefined) throw malformed(`type id ${id} out of range (${this.types.length} types)`);
    return t;
  }

  /** String at `off` in the string section, or undefined if out of range. */
  str(off: number): string | undefined {
    if (off >= this.strings.length) return undefined;
    return cString(this.strings, off);
  }

  /** All type ids with this name (any kind), in id order. */
  idsByName(name: string): readonly number[] {
    if (!this.byName) {
      const m = new Map<string, number[]>();
      for (const t of this.types) {
        if (!t.name) continue;
        const list = m.get(t.name);
        if (list) list.push(t.id);
        else m.set(t.name, [t.id]);
      }
      this.byName = m;
    }
    return this.byName.get(name) ?? [];
  }
}

export function isRawBtf(bytes: Uint8Array): boolean {
  if (bytes.length < 2) return false;
  const a = bytes[0];
  const b = bytes[1];
  return (a === 0x9f && b === 0xeb) || (a === 0xeb && b === 0x9f);
}

/**
 * Parses a BTF blob. `base` is the blob's offset in the enclosing file, so error offsets are
 * file offsets. Errors carry libbpf's errno (EINVAL for malformed data).
 */
export function parseBtf(blob: Uint8Array, base = 0): Btf {
  if (blob.length < HEADER_SIZE) throw truncated(`BTF header: need ${HEADER_SIZE} bytes, have ${blob.length}`, base);
  let order: ByteOrder;
  if (blob[0] === 0x9f && blob[1] === 0xeb) order = "little";
  else if (blob[0] === 0xeb && blob[1] === 0x9f) order = "big";
  else throw malformed(`invalid BTF magic 0x${((blob[0] ?? 0) | ((blob[1] ?? 0) << 8)).toString(16)}`, base);
  const r = new ByteReader(blob, order, base);
  const hdrLen = r.u32(4, "hdr_len");
  if (order === "big" && hdrLen !== HEADER_SIZE) {
    throw unsupported(`BTF with non-native byte order has unsupported header length ${hdrLen}`, base + 4);
  }
  const header: BtfHeader = {
    version: r.u8(2),
    flags: r.u8(3),
    hdrLen,
    typeOff: r.u32(8, "type_off"),
    typeLen: r.u32(12, "type_len"),
    strOff: r.u32(16, "str_off"),
    strLen: r.u32(20, "str_len"),
  };
  if (blob.length < hdrLen) throw truncated(`BTF header length ${hdrLen} is larger than the data (${blob.length} bytes)`, base + 4);
  const metaLeft = blob.length - hdrLen;
  if (metaLeft < header.strOff + header.strLen) {
    throw truncated(`BTF string section [${header.strOff}, +${header.strLen}) ends past the data (${metaLeft} bytes after the header)`, base + 16);
  }
  if (header.typeOff + header.typeLen > header.strOff) {
    throw malformed(`BTF type data at ${header.typeOff} + ${header.typeLen} overlaps string data at ${header.strOff}`, base + 8);
  }
  if (header.typeOff % 4 !== 0) throw malformed("BTF type section is not aligned to 4 bytes", base + 8);

  const strStart = hdrLen + header.strOff;
  const strings = blob.subarray(strStart, strStart + header.strLen);
  if (header.strLen === 0 || header.strLen - 1 > MAX_STR_OFFSET || strings[header.strLen - 1] !== 0) {
    throw malformed("invalid BTF string section (empty or not NUL-terminated)", base + strStart);
  }
  if (strings[0] !== 0) throw malformed("malformed BTF string section: it does not start with an empty string (split BTF needs a base)", base + strStart);

  const typeStart = hdrLen + header.typeOff;
  const tr = r.slice(typeStart, header.typeLen, "BTF type section");
  return parseTypes(header, order, tr, strings, base + typeStart);
}

function parseTypes(header: BtfHeader, order: ByteOrder, r: ByteReader, strings: Uint8Array, fileBase: number): Btf {
  const types: BtfType[] = [{ kind: "void", id: 0, name: "", nameOff: 0, kflag: false }];
  const offsets: number[] = [0];
  const end = r.length;
  const nameCache = new Map<number, string>();
  const name = (off: number, id: number, what: string, at: number): string => {
    if (off >= strings.length) {
      throw malformed(`type [${id}]: invalid ${what} (string offset ${off})`, fileBase + at);
    }
    if (off === 0) return "";
    let s = nameCache.get(off);
    if (s === undefined) {
      s = cString(strings, off);
      nameCache.set(off, s);
    }
    return s;
  };

  let pos = 0;
  while (pos + 12 <= end) {
    const id = types.length;
    const at = pos;
    const nameOff = r.u32(pos);
    const info = r.u32(pos + 4);
    const sizeOrType = r.u32(pos + 8);
    const kindNum = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const kflag = (info >>> 31) === 1;
    const recSize = recordSize(kindNum, vlen);
    if (recSize < 0 || kindNum > BTF_KIND_MAX) {
      throw unsupported(`type [${id}]: unsupported BTF kind ${kindNum}`, fileBase + at + 4, ERRNO.EINVAL);
    }
    if (pos + recSize > end) throw truncated(`type [${id}] is malformed: its ${recSize}-byte record runs past the type section`, fileBase + at);
    const nm = name(nameOff, id, "type name", at);
    const b = pos + 12;
    let t: BtfType;
    switch (kindNum) {
      case BtfKind.UNKN:
        throw unsupported(`type [${id}]: unrecognized kind 0`, fileBase + at + 4, ERRNO.EINVAL);
      case BtfKind.INT: {
        const v = r.u32(b);
        t = { kind: "int", id, name: nm, nameOff, kflag, size: sizeOrType, encoding: (v >>> 24) & 0x0f, bitsOffset: bits((v >>> 16) & 0xff), nrBits: bits(v & 0xff) };
        break;
      }
      case BtfKind.PTR:
        t = { kind: "ptr", id, name: nm, nameOff, kflag, type: sizeOrType };
        break;
      case BtfKind.CONST:
        t = { kind: "const", id, name: nm, nameOff, kflag, type: sizeOrType };
        break;
      case BtfKind.VOLATILE:
        t = { kind: "volatile", id, name: nm, nameOff, kflag, type: sizeOrType };
        break;
      case BtfKind.RESTRICT:
        t = { kind: "restrict", id, name: nm, nameOff, kflag, type: sizeOrType };
        break;
      case BtfKind.TYPEDEF:
        t = { kind: "typedef", id, name: nm, nameOff, kflag, type: sizeOrType };
        break;
      case BtfKind.TYPE_TAG:
        t = { kind: "type_tag", id, name: nm, nameOff, kflag, type: sizeOrType };
        break;
      case BtfKind.ARRAY:
        t = { kind: "array", id, name: nm, nameOff, kflag, type: r.u32(b), indexType: r.u32(b + 4), nelems: r.u32(b + 8) };
        break;
      case BtfKind.STRUCT:
      case BtfKind.UNION: {
        const members: BtfMember[] = new Array(vlen);
        for (let i = 0; i < vlen; i++) {
          const m = b + i * 12;
          const mNameOff = r.u32(m);
          const off = r.u32(m + 8);
          members[i] = {
            name: name(mNameOff, id, "field name", m),
            nameOff: mNameOff,
            type: r.u32(m + 4),
            bitOffset: bits(kflag ? off & 0xffffff : off),
            bitfieldSize: bits(kflag ? off >>> 24 : 0),
          };
        }
        t = { kind: kindNum === BtfKind.STRUCT ? "struct" : "union", id, name: nm, nameOff, kflag, size: sizeOrType, members };
        break;
      }
      case BtfKind.ENUM: {
        const values: BtfEnumValue[] = new Array(vlen);
        for (let i = 0; i < vlen; i++) {
          const m = b + i * 8;
          const vNameOff = r.u32(m);
          values[i] = { name: name(vNameOff, id, "enum name", m), nameOff: vNameOff, value: BigInt(r.u32(m + 4)) };
        }
        t = { kind: "enum", id, name: nm, nameOff, kflag, size: sizeOrType, signed: kflag, values };
        break;
      }
      case BtfKind.ENUM64: {
        const values: BtfEnumValue[] = new Array(vlen);
        for (let i = 0; i < vlen; i++) {
          const m = b + i * 12;
          const vNameOff = r.u32(m);
          const lo = r.u32(m + 4);
          const hi = r.u32(m + 8);
          values[i] = { name: name(vNameOff, id, "enum name", m), nameOff: vNameOff, value: (BigInt(hi) << 32n) | BigInt(lo) };
        }
        t = { kind: "enum64", id, name: nm, nameOff, kflag, size: sizeOrType, signed: kflag, values };
        break;
      }
      case BtfKind.FWD:
        t = { kind: "fwd", id, name: nm, nameOff, kflag, fwdKind: kflag ? "union" : "struct" };
        break;
      case BtfKind.FUNC:
        t = { kind: "func", id, name: nm, nameOff, kflag, type: sizeOrType, linkage: vlen };
        break;
      case BtfKind.FUNC_PROTO: {
        const params: BtfParam[] = new Array(vlen);
        for (let i = 0; i < vlen; i++) {
          const m = b + i * 8;
          const pNameOff = r.u32(m);
          params[i] = { name: name(pNameOff, id, "param name", m), nameOff: pNameOff, type: r.u32(m + 4) };
        }
        t = { kind: "func_proto", id, name: nm, nameOff, kflag, returnType: sizeOrType, params };
        break;
      }
      case BtfKind.VAR:
        t = { kind: "var", id, name: nm, nameOff, kflag, type: sizeOrType, linkage: r.u32(b) };
        break;
      case BtfKind.DATASEC: {
        const vars: BtfVarSecinfo[] = new Array(vlen);
        for (let i = 0; i < vlen; i++) {
          const m = b + i * 12;
          vars[i] = { type: r.u32(m), offset: r.u32(m + 4), size: r.u32(m + 8) };
        }
        t = { kind: "datasec", id, name: nm, nameOff, kflag, size: sizeOrType, vars };
        break;
      }
      case BtfKind.FLOAT:
        t = { kind: "float", id, name: nm, nameOff, kflag, size: sizeOrType };
        break;
      case BtfKind.DECL_TAG:
        t = { kind: "decl_tag", id, name: nm, nameOff, kflag, type: sizeOrType, componentIdx: r.i32(b) };
        break;
      default:
        throw unsupported(`type [${id}]: unsupported BTF kind ${kindNum}`, fileBase + at + 4, ERRNO.EINVAL);
    }
    types.push(t);
    offsets.push(at);
    pos += recSize;
  }
  if (pos !== end) throw malformed(`BTF types data is malformed: ${end - pos} trailing bytes`, fileBase + pos);

  const btf = new Btf(header, order, types, Uint32Array.from(offsets), strings);
  validateIds(btf, fileBase);
  return btf;
}

/** Size of a type record with `vlen` entries, or -1 for an unknown kind (libbpf: btf_type_size). */
function recordSize(kind: number, vlen: number): number {
  switch (kind) {
    case BtfKind.FWD:
    case BtfKind.CONST:
    case BtfKind.VOLATILE:
    case BtfKind.RESTRICT:
    case BtfKind.PTR:
    case BtfKind.TYPEDEF:
    case BtfKind.FUNC:
    case BtfKind.FLOAT:
    case BtfKind.TYPE_TAG:
      return 12;
    case BtfKind.INT:
    case BtfKind.VAR:
    case BtfKind.DECL_TAG:
      return 16;
    case BtfKind.ENUM:
    case BtfKind.FUNC_PROTO:
      return 12 + vlen * 8;
    case BtfKind.ENUM64:
    case BtfKind.STRUCT:
    case BtfKind.UNION:
    case BtfKind.DATASEC:
      return 12 + vlen * 12;
    case BtfKind.ARRAY:
      return 24;
    default:
      return -1;
  }
}

/** libbpf's btf_sanity_check: every referenced type id exists; FUNC points at a FUNC_PROTO. */
function validateIds(btf: Btf, fileBase: number): void {
  const n = btf.types.length;
  const fail = (id: number, ref: number): BtfLensError =>
    malformed(`type [${id}]: invalid referenced type ID ${ref}`, fileBase + (btf.typeOffsets[id] ?? 0));
  const check = (id: number, ref: number): void => {
    if (ref >= n) throw fail(id, ref);
  };
  for (let id = 1; id < n; id++) {
    const t = btf.types[id] as BtfType;
    switch (t.kind) {
      case "ptr":
      case "const":
      case "volatile":
      case "restrict":
      case "typedef":
      case "type_tag":
      case "var":
      case "decl_tag":
        check(id, t.type);
        break;
      case "array":
        check(id, t.type);
        check(id, t.indexType);
        break;
      case "struct":
      case "union":
        for (const m of t.members) check(id, m.type);
        break;
      case "func": {
        check(id, t.type);
        const ft = btf.types[t.type];
        if (ft?.kind !== "func_proto") {
          throw malformed(`type [${id}]: referenced type [${t.type}] is not FUNC_PROTO`, fileBase + (btf.typeOffsets[id] ?? 0));
        }
        break;
      }
      case "func_proto":
        check(id, t.returnType);
        for (const p of t.params) check(id, p.type);
        break;
      case "datasec":
        for (const v of t.vars) check(id, v.type);
        break;
      default:
        break;
    }
  }
}
