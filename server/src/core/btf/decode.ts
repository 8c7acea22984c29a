// Decodes one BTF type record from the wire into the public model (called lazily by Btf.type()).

import { cString } from "../bytes.js";
import {
  BtfKind,
  bits,
  type BtfEnumValue,
  type BtfMember,
  type BtfParam,
  type BtfType,
  type BtfVarSecinfo,
} from "./types.js";

/**
 * Returns a decoder for records in `dv` (the type section). Records were bounds-checked and
 * validated by the parser, so the decoder reads fields directly.
 */
export function makeDecoder(dv: DataView, le: boolean, strings: Uint8Array): (id: number, at: number) => BtfType {
  const table = stringTable(strings);
  // Only lenient (libbpf 1.1) parsing lets an out-of-range offset through; bpftool prints "(invalid)".
  const name = (off: number): string => (off < strings.length ? table(off) : "(invalid)");
  const u32 = (o: number): number => dv.getUint32(o, le);
  return (id, at) => {
    const nameOff = u32(at);
    const info = u32(at + 4);
    const sizeOrType = u32(at + 8);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const kflag = info >>> 31 === 1;
    const nm = nameOff === 0 ? "" : name(nameOff);
    const b = at + 12;
    switch (kind) {
      case BtfKind.INT: {
        const v = u32(b);
        return { kind: "int", id, name: nm, nameOff, kflag, size: sizeOrType, encoding: (v >>> 24) & 0x0f, bitsOffset: bits((v >>> 16) & 0xff), nrBits: bits(v & 0xff) };
      }
      case BtfKind.PTR:
        return { kind: "ptr", id, name: nm, nameOff, kflag, type: sizeOrType };
      case BtfKind.CONST:
        return { kind: "const", id, name: nm, nameOff, kflag, type: sizeOrType };
      case BtfKind.VOLATILE:
        return { kind: "volatile", id, name: nm, nameOff, kflag, type: sizeOrType };
      case BtfKind.RESTRICT:
        return { kind: "restrict", id, name: nm, nameOff, kflag, type: sizeOrType };
      case BtfKind.TYPEDEF:
        return { kind: "typedef", id, name: nm, nameOff, kflag, type: sizeOrType };
      case BtfKind.TYPE_TAG:
        return { kind: "type_tag", id, name: nm, nameOff, kflag, type: sizeOrType };
      case BtfKind.ARRAY:
        return { kind: "array", id, name: nm, nameOff, kflag, type: u32(b), indexType: u32(b + 4), nelems: u32(b + 8) };
      case BtfKind.STRUCT:
      case BtfKind.UNION: {
        const members: BtfMember[] = new Array(vlen);
        for (let i = 0; i < vlen; i++) {
          const m = b + i * 12;
          const mNameOff = u32(m);
          const off = u32(m + 8);
          members[i] = {
            name: mNameOff === 0 ? "" : name(mNameOff),
            nameOff: mNameOff,
            type: u32(m + 4),
            bitOffset: bits(kflag ? off & 0xffffff : off),
            bitfieldSize: bits(kflag ? off >>> 24 : 0),
          };
        }
        return { kind: kind === BtfKind.STRUCT ? "struct" : "union", id, name: nm, nameOff, kflag, size: sizeOrType, members };
      }
      case BtfKind.ENUM: {
        const values: BtfEnumValue[] = new Array(vlen);
        for (let i = 0; i < vlen; i++) {
          const m = b + i * 8;
          const vNameOff = u32(m);
          values[i] = { name: vNameOff === 0 ? "" : name(vNameOff), nameOff: vNameOff, value: BigInt(u32(m + 4)) };
        }
        return { kind: "enum", id, name: nm, nameOff, kflag, size: sizeOrType, signed: kflag, values };
      }
      case BtfKind.ENUM64: {
        const values: BtfEnumValue[] = new Array(vlen);
        for (let i = 0; i < vlen; i++) {
          const m = b + i * 12;
          const vNameOff = u32(m);
          values[i] = { name: vNameOff === 0 ? "" : name(vNameOff), nameOff: vNameOff, value: (BigInt(u32(m + 8)) << 32n) | BigInt(u32(m + 4)) };
        }
        return { kind: "enum64", id, name: nm, nameOff, kflag, size: sizeOrType, signed: kflag, values };
      }
      case BtfKind.FWD:
        return { kind: "fwd", id, name: nm, nameOff, kflag, fwdKind: kflag ? "union" : "struct" };
      case BtfKind.FUNC:
        return { kind: "func", id, name: nm, nameOff, kflag, type: sizeOrType, linkage: vlen };
      case BtfKind.FUNC_PROTO: {
        const params: BtfParam[] = new Array(vlen);
        for (let i = 0; i < vlen; i++) {
          const m = b + i * 8;
          const pNameOff = u32(m);
          params[i] = { name: pNameOff === 0 ? "" : name(pNameOff), nameOff: pNameOff, type: u32(m + 4) };
        }
        return { kind: "func_proto", id, name: nm, nameOff, kflag, returnType: sizeOrType, params };
      }
      case BtfKind.VAR:
        return { kind: "var", id, name: nm, nameOff, kflag, type: sizeOrType, linkage: u32(b) };
      case BtfKind.DATASEC: {
        const vars: BtfVarSecinfo[] = new Array(vlen);
        for (let i = 0; i < vlen; i++) {
          const m = b + i * 12;
          vars[i] = { type: u32(m), offset: u32(m + 4), size: u32(m + 8) };
        }
        return { kind: "datasec", id, name: nm, nameOff, kflag, size: sizeOrType, vars };
      }
      case BtfKind.FLOAT:
        return { kind: "float", id, name: nm, nameOff, kflag, size: sizeOrType };
      case BtfKind.DECL_TAG:
        return { kind: "decl_tag", id, name: nm, nameOff, kflag, type: sizeOrType, componentIdx: dv.getInt32(b, le) };
      default:
        // The parser rejected every other kind before any record is decoded.
        throw new RangeError(`BTF kind ${kind} reached the decoder`);
    }
  };
}

/**
 * A string lookup for the string section. When the section is pure ASCII (as compilers and
 * pahole write it) it is decoded once and names are slices of that one string, which is much
 * cheaper than decoding each name; otherwise each name is decoded (UTF-8) and cached.
 */
function stringTable(strings: Uint8Array): (off: number) => string {
  let ascii = true;
  for (let i = 0; i < strings.length; i++) {
    if ((strings[i] as number) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    const all = latin1Decoder.decode(strings);
    return (off) => {
      const end = all.indexOf("\0", off);
      return all.slice(off, end < 0 ? all.length : end);
    };
  }
  const cache = new Map<number, string>();
  return (off) => {
    let v = cache.get(off);
    if (v === undefined) {
      v = cString(strings, off);
      cache.set(off, v);
    }
    return v;
  };
}

const latin1Decoder = new TextDecoder("latin1");

