// Parses a .BTF blob (header, type section, string section) into the model and validates it as libbpf does.

import { ByteReader, cString, type ByteOrder } from "../bytes.js";
import { BtfLensError, ERRNO, malformed, truncated, unsupported } from "../errors.js";
import { makeDecoder } from "./decode.js";
import { BtfKind, type BtfType } from "./types.js";

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

/**
 * A parsed, validated BTF. Types are decoded from the blob on first use and then cached, so a
 * 5 MB vmlinux BTF costs little until its types are needed; `types` decodes them all.
 */
export class Btf {
  readonly header: BtfHeader;
  readonly order: ByteOrder;
  /** Byte offset of each type record in the type section (index = type id; 0 for void). */
  readonly typeOffsets: Uint32Array;
  /** BTF_KIND_* number of each type (index = type id). */
  readonly kinds: Uint8Array;
  readonly strings: Uint8Array;
  /** The raw type section (records in the blob's byte order); `typeOffsets` index into it. */
  readonly typeSection: Uint8Array;
  /** 8 for ELF64 objects and raw BTF, as libbpf assumes. */
  readonly pointerSize: number;
  private readonly decoder: RecordDecoder;
  private readonly cache: (BtfType | undefined)[];
  private all: readonly BtfType[] | undefined;
  private byName: Map<string, number[]> | undefined;
  /** Set when the sanity check failed but parsing was lenient (libbpf 1.1): only the raw dump may proceed. */
  readonly sanityError: BtfLensError | undefined;

  constructor(
    header: BtfHeader,
    order: ByteOrder,
    index: TypeIndex,
    typeSection: Uint8Array,
    strings: Uint8Array,
    decoder: RecordDecoder,
    sanityError?: BtfLensError,
  ) {
    this.header = header;
    this.order = order;
    this.typeOffsets = index.offsets;
    this.kinds = index.kinds;
    this.strings = strings;
    this.typeSection = typeSection;
    this.pointerSize = 8;
    this.decoder = decoder;
    this.sanityError = sanityError;
    this.cache = new Array(index.offsets.length);
    this.cache[0] = VOID;
  }

  /** Number of type ids including void, like btf__type_cnt. */
  get count(): number {
    return this.typeOffsets.length;
  }

  /** Every type, index = id (decodes all of them on first use). */
  get types(): readonly BtfType[] {
    if (!this.all) {
      for (let id = 1; id < this.cache.length; id++) this.type(id);
      this.all = this.cache as BtfType[];
    }
    return this.all;
  }

  type(id: number): BtfType {
    const cached = this.cache[id];
    if (cached !== undefined) return cached;
    if (!(id >= 0 && id < this.cache.length)) throw malformed(`type id ${id} out of range (${this.cache.length} types)`);
    const t = this.decoder(id, this.typeOffsets[id] as number);
    this.cache[id] = t;
    return t;
  }

  /** Decodes type `id` afresh without caching it (for one-pass streaming such as the raw dump). */
  decode(id: number): BtfType {
    return this.cache[id] ?? this.decoder(id, this.typeOffsets[id] as number);
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
      for (let id = 1; id < this.count; id++) {
        const t = this.type(id);
        if (!t.name) continue;
        const list = m.get(t.name);
        if (list) list.push(id);
        else m.set(t.name, [id]);
      }
      this.byName = m;
    }
    return this.byName.get(name) ?? [];
  }
}

const VOID: BtfType = { kind: "void", id: 0, name: "", nameOff: 0, kflag: false };

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
export interface ParseBtfOptions {
  /**
   * Run libbpf's btf_sanity_check (string offsets and referenced type ids in range), as libbpf
   * >= 1.3 does while parsing. Off, a failure is kept in `Btf.sanityError` instead (libbpf 1.1).
   */
  readonly sanityCheck?: boolean;
}

export function parseBtf(blob: Uint8Array, base = 0, options: ParseBtfOptions = {}): Btf {
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
  return parseTypes(header, order, tr, strings, base + typeStart, options.sanityCheck ?? true);
}

interface TypeIndex {
  readonly offsets: Uint32Array;
  readonly kinds: Uint8Array;
}

type RecordDecoder = (id: number, at: number) => BtfType;

/**
 * Indexes and validates the type section without building objects: record sizes and kinds
 * (libbpf btf_parse_type_sec), then every string offset and referenced type id
 * (libbpf btf_sanity_check). Decoding happens later, per type, in decode.ts.
 */
function parseTypes(header: BtfHeader, order: ByteOrder, r: ByteReader, strings: Uint8Array, fileBase: number, sanityCheck: boolean): Btf {
  const dv = new DataView(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
  const le = r.littleEndian;
  const end = r.length;
  // Every read below lies inside a record whose bounds were checked first.
  const u32 = (o: number): number => dv.getUint32(o, le);

  let offsets = new Uint32Array(1024);
  let kinds = new Uint8Array(1024);
  let n = 1;
  let pos = 0;
  while (pos + 12 <= end) {
    const info = u32(pos + 4);
    const kind = (info >>> 24) & 0x1f;
    const size = recordSize(kind, info & 0xffff);
    if (size < 0 || kind === BtfKind.UNKN) {
      throw unsupported(`type [${n}]: unsupported BTF kind ${kind}`, fileBase + pos + 4, ERRNO.EINVAL);
    }
    if (pos + size > end) throw truncated(`type [${n}] is malformed: its ${size}-byte record runs past the type section`, fileBase + pos);
    if (n === offsets.length) {
      const grown = new Uint32Array(n * 2);
      grown.set(offsets);
      offsets = grown;
      const grownKinds = new Uint8Array(n * 2);
      grownKinds.set(kinds);
      kinds = grownKinds;
    }
    offsets[n] = pos;
    kinds[n] = kind;
    n++;
    pos += size;
  }
  if (pos !== end) throw malformed(`BTF types data is malformed: ${end - pos} trailing bytes`, fileBase + pos);
  const index: TypeIndex = { offsets: offsets.slice(0, n), kinds: kinds.slice(0, n) };
  let sanityError: BtfLensError | undefined;
  try {
    validate(index, u32, strings.length, fileBase);
  } catch (e) {
    if (sanityCheck || !(e instanceof BtfLensError)) throw e;
    sanityError = e;
  }
  return new Btf(header, order, index, r.bytes, strings, makeDecoder(dv, le, strings), sanityError);
}

/** libbpf's btf_sanity_check on the raw records: string offsets in range, type ids exist, FUNC -> FUNC_PROTO. */
function validate(index: TypeIndex, u32: (o: number) => number, strLen: number, fileBase: number): void {
  const { offsets, kinds } = index;
  const n = offsets.length;
  for (let id = 1; id < n; id++) {
    const at = offsets[id] as number;
    const kind = kinds[id] as number;
    const vlen = u32(at + 4) & 0xffff;
    const str = (off: number, what: string, where: number): void => {
      if (off >= strLen) throw malformed(`type [${id}]: invalid ${what} (string offset ${off})`, fileBase + where);
    };
    const ref = (ref: number): void => {
      if (ref >= n) throw malformed(`type [${id}]: invalid referenced type ID ${ref}`, fileBase + at);
    };
    str(u32(at), "type name", at);
    const b = at + 12;
    switch (kind) {
      case BtfKind.PTR:
      case BtfKind.TYPEDEF:
      case BtfKind.VOLATILE:
      case BtfKind.CONST:
      case BtfKind.RESTRICT:
      case BtfKind.VAR:
      case BtfKind.DECL_TAG:
      case BtfKind.TYPE_TAG:
        ref(u32(at + 8));
        break;
      case BtfKind.ARRAY:
        ref(u32(b));
        ref(u32(b + 4));
        break;
      case BtfKind.STRUCT:
      case BtfKind.UNION:
        for (let i = 0; i < vlen; i++) {
          str(u32(b + i * 12), "field name", b + i * 12);
          ref(u32(b + i * 12 + 4));
        }
        break;
      case BtfKind.ENUM:
        for (let i = 0; i < vlen; i++) str(u32(b + i * 8), "enum name", b + i * 8);
        break;
      case BtfKind.ENUM64:
        for (let i = 0; i < vlen; i++) str(u32(b + i * 12), "enum name", b + i * 12);
        break;
      case BtfKind.FUNC: {
        const target = u32(at + 8);
        ref(target);
        if (kinds[target] !== BtfKind.FUNC_PROTO) {
          throw malformed(`type [${id}]: referenced type [${target}] is not FUNC_PROTO`, fileBase + at);
        }
        break;
      }
      case BtfKind.FUNC_PROTO:
        ref(u32(at + 8));
        for (let i = 0; i < vlen; i++) {
          str(u32(b + i * 8), "param name", b + i * 8);
          ref(u32(b + i * 8 + 4));
        }
        break;
      case BtfKind.DATASEC:
        for (let i = 0; i < vlen; i++) ref(u32(b + i * 12));
        break;
      default:
        break;
    }
  }
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
