// Decodes one BTF type record from the wire into the public model (called lazily by Btf.type()).

import type { StringTable } from "./strings.js";
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
 * Returns a decoder for records in `w` (the type section as native-order words; `at` is a word
 * index). Records were bounds-checked and validated by the parser, so the decoder reads fields directly.
 */
export function makeDecoder(w: Uint32Array, strings: StringTable): (id: number, at: number) => BtfType {
  // Only lenient (libbpf 1.1) parsing lets an out-of-range offset through; bpftool prints "(invalid)".
  const name = (off: number): string => (off < strings.length ? strings.get(off) : "(invalid)");
  const u32 = (o: number): number => w[o] as number;
  return (id, at) => {
    const nameOff = u32(at);
    const info = u32(at + 1);
    const sizeOrType = u32(at + 2);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const kflag = info >>> 31 === 1;
    const nm = nameOff === 0 ? "" : name(nameOff);
    const b = at + 3;
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
        return { kind: "array", id, name: nm, nameOff, kflag, type: u32(b), indexType: u32(b + 1), nelems: u32(b + 2) };
      case BtfKind.STRUCT:
      case BtfKind.UNION: {
        const members: BtfMember[] = new Array(vlen);
        for (let i = 0; i < vlen; i++) {
          const m = b + i * 3;
          const mNameOff = u32(m);
          const off = u32(m + 2);
          members[i] = {
            name: mNameOff === 0 ? "" : name(mNameOff),
            nameOff: mNameOff,
            type: u32(m + 1),
            bitOffset: bits(kflag ? off & 0xffffff : off),
            bitfieldSize: bits(kflag ? off >>> 24 : 0),
          };
        }
        return { kind: kind === BtfKind.STRUCT ? "struct" : "union", id, name: nm, nameOff, kflag, size: sizeOrType, members };
      }
      case BtfKind.ENUM: {
        const values: BtfEnumValue[] = new Array(vlen);
        for (let i = 0; i < vlen; i++) {
          const m = b + i * 2;
          const vNameOff = u32(m);
          values[i] = { name: vNameOff === 0 ? "" : name(vNameOff), nameOff: vNameOff, value: BigInt(u32(m + 1)) };
        }
        return { kind: "enum", id, name: nm, nameOff, kflag, size: sizeOrType, signed: kflag, values };
      }
      case BtfKind.ENUM64: {
        const values: BtfEnumValue[] = new Array(vlen);
        for (let i = 0; i < vlen; i++) {
          const m = b + i * 3;
          const vNameOff = u32(m);
          values[i] = { name: vNameOff === 0 ? "" : name(vNameOff), nameOff: vNameOff, value: (BigInt(u32(m + 2)) << 32n) | BigInt(u32(m + 1)) };
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
          const m = b + i * 2;
          const pNameOff = u32(m);
          params[i] = { name: pNameOff === 0 ? "" : name(pNameOff), nameOff: pNameOff, type: u32(m + 1) };
        }
        return { kind: "func_proto", id, name: nm, nameOff, kflag, returnType: sizeOrType, params };
      }
      case BtfKind.VAR:
        return { kind: "var", id, name: nm, nameOff, kflag, type: sizeOrType, linkage: u32(b) };
      case BtfKind.DATASEC: {
        const vars: BtfVarSecinfo[] = new Array(vlen);
        for (let i = 0; i < vlen; i++) {
          const m = b + i * 3;
          vars[i] = { type: u32(m), offset: u32(m + 1), size: u32(m + 2) };
        }
        return { kind: "datasec", id, name: nm, nameOff, kflag, size: sizeOrType, vars };
      }
      case BtfKind.FLOAT:
        return { kind: "float", id, name: nm, nameOff, kflag, size: sizeOrType };
      case BtfKind.DECL_TAG:
        return { kind: "decl_tag", id, name: nm, nameOff, kflag, type: sizeOrType, componentIdx: u32(b) | 0 };
      default:
        // The parser rejected every other kind before any record is decoded.
        throw new RangeError(`BTF kind ${kind} reached the decoder`);
    }
  };
}
