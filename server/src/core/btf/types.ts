// The public BTF model: a discriminated union over every kind, INT through ENUM64, with type ids as links.

/** A bit count (member offsets, bitfield sizes). Branded so it cannot be mixed up with bytes. */
export type Bits = number & { readonly __unit: "bits" };
/** A byte count or byte offset. */
export type Bytes = number & { readonly __unit: "bytes" };

export const bits = (n: number): Bits => n as Bits;
export const bytes = (n: number): Bytes => n as Bytes;
export const bitsToBytes = (b: Bits): Bytes => Math.floor(b / 8) as Bytes;
export const bytesToBits = (b: Bytes): Bits => (b * 8) as Bits;

/** The BTF_KIND_* numbers, as in the kernel's uapi btf.h. */
export const BtfKind = {
  UNKN: 0,
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  VOLATILE: 9,
  CONST: 10,
  RESTRICT: 11,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  ENUM64: 19,
} as const;
export const BTF_KIND_MAX = 19;

/** Names as bpftool's raw dump prints them, indexed by kind number. */
export const KIND_NAMES = [
  "UNKNOWN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF", "VOLATILE",
  "CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64",
] as const;

export const INT_SIGNED = 1;
export const INT_CHAR = 2;
export const INT_BOOL = 4;

/** Linkage of a VAR (BTF_VAR_*) and of a FUNC (BTF_FUNC_*, stored in vlen). */
export const VarLinkage = { STATIC: 0, GLOBAL: 1, EXTERN: 2 } as const;
export const FuncLinkage = { STATIC: 0, GLOBAL: 1, EXTERN: 2 } as const;

interface Base {
  /** Type id: 1-based index in the BTF (0 is void). */
  readonly id: number;
  /** Name ("" when anonymous). */
  readonly name: string;
  /** Raw name offset in the string table. */
  readonly nameOff: number;
  /** kind_flag bit of `info`. */
  readonly kflag: boolean;
}

export interface BtfVoid extends Base { readonly kind: "void" }
export interface BtfInt extends Base {
  readonly kind: "int";
  readonly size: number;
  /** BTF_INT_ENCODING bits (INT_SIGNED | INT_CHAR | INT_BOOL). */
  readonly encoding: number;
  readonly bitsOffset: Bits;
  readonly nrBits: Bits;
}
/** PTR, CONST, VOLATILE, RESTRICT, TYPEDEF and TYPE_TAG: one link to another type. */
export interface BtfRef extends Base {
  readonly kind: "ptr" | "const" | "volatile" | "restrict" | "typedef" | "type_tag";
  readonly type: number;
}
export interface BtfArray extends Base {
  readonly kind: "array";
  readonly type: number;
  readonly indexType: number;
  readonly nelems: number;
}
export interface BtfMember {
  readonly name: string;
  readonly nameOff: number;
  readonly type: number;
  /** Bit offset from the start of the struct. */
  readonly bitOffset: Bits;
  /** Bitfield width; 0 for a normal member. */
  readonly bitfieldSize: Bits;
}
export interface BtfComposite extends Base {
  readonly kind: "struct" | "union";
  readonly size: number;
  readonly members: readonly BtfMember[];
}
export interface BtfEnumValue {
  readonly name: string;
  readonly nameOff: number;
  /** The value as stored: unsigned 32-bit for ENUM, unsigned 64-bit for ENUM64. Interpret with `signed`. */
  readonly value: bigint;
}
export interface BtfEnum extends Base {
  readonly kind: "enum" | "enum64";
  readonly size: number;
  /** kind_flag: values are signed. */
  readonly signed: boolean;
  readonly values: readonly BtfEnumValue[];
}
export interface BtfFwd extends Base {
  readonly kind: "fwd";
  /** kind_flag set: a union forward declaration. */
  readonly fwdKind: "struct" | "union";
}
export interface BtfFunc extends Base {
  readonly kind: "func";
  readonly type: number;
  /** BTF_FUNC_STATIC / GLOBAL / EXTERN (vlen field); other values are kept as is. */
  readonly linkage: number;
}
export interface BtfParam {
  readonly name: string;
  readonly nameOff: number;
  readonly type: number;
}
export interface BtfFuncProto extends Base {
  readonly kind: "func_proto";
  readonly returnType: number;
  readonly params: readonly BtfParam[];
}
export interface BtfVar extends Base {
  readonly kind: "var";
  readonly type: number;
  readonly linkage: number;
}
export interface BtfVarSecinfo {
  readonly type: number;
  readonly offset: number;
  readonly size: number;
}
export interface BtfDatasec extends Base {
  readonly kind: "datasec";
  readonly size: number;
  readonly vars: readonly BtfVarSecinfo[];
}
export interface BtfFloat extends Base {
  readonly kind: "float";
  readonly size: number;
}
export interface BtfDeclTag extends Base {
  readonly kind: "decl_tag";
  readonly type: number;
  /** -1: the tag applies to the type itself; otherwise a member or parameter index. */
  readonly componentIdx: number;
}

export type BtfType =
  | BtfVoid
  | BtfInt
  | BtfRef
  | BtfArray
  | BtfComposite
  | BtfEnum
  | BtfFwd
  | BtfFunc
  | BtfFuncProto
  | BtfVar
  | BtfDatasec
  | BtfFloat
  | BtfDeclTag;

export type BtfKindName = BtfType["kind"];

/** The kind number of a model type (the inverse of the parser's mapping). */
export function kindNumber(t: BtfType): number {
  switch (t.kind) {
    case "void": return BtfKind.UNKN;
    case "int": return BtfKind.INT;
    case "ptr": return BtfKind.PTR;
    case "array": return BtfKind.ARRAY;
    case "struct": return BtfKind.STRUCT;
    case "union": return BtfKind.UNION;
    case "enum": return BtfKind.ENUM;
    case "fwd": return BtfKind.FWD;
    case "typedef": return BtfKind.TYPEDEF;
    case "volatile": return BtfKind.VOLATILE;
    case "const": return BtfKind.CONST;
    case "restrict": return BtfKind.RESTRICT;
    case "func": return BtfKind.FUNC;
    case "func_proto": return BtfKind.FUNC_PROTO;
    case "var": return BtfKind.VAR;
    case "datasec": return BtfKind.DATASEC;
    case "float": return BtfKind.FLOAT;
    case "decl_tag": return BtfKind.DECL_TAG;
    case "type_tag": return BtfKind.TYPE_TAG;
    case "enum64": return BtfKind.ENUM64;
    default: return assertNever(t);
  }
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value ${JSON.stringify(x)}`);
}
