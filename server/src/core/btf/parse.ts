// Parses a .BTF blob (header, type section, string section) into the model and validates it as libbpf does.

import { ByteReader, type ByteOrder } from "../bytes.js";
import { BtfLensError, ERRNO, malformed, truncated, unsupported } from "../errors.js";
import { encodeLossless } from "../text/lossless-utf8.js";
import { makeDecoder } from "./decode.js";
import { StringTable } from "./strings.js";
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
  /**
   * The type section as native-order u32 words after VOID_WORDS zero words that stand for void
   * (id 0), so hot paths index one typed array; `wordAt[id]` is where type `id`'s record starts.
   */
  readonly words: Uint32Array;
  readonly wordAt: Uint32Array;
  /** The string section's shared lookup. */
  readonly strs: StringTable;
  /** 8 for ELF64 objects and raw BTF, as libbpf assumes. */
  readonly pointerSize: number;
  private readonly decoder: RecordDecoder;
  private readonly cache: (BtfType | undefined)[];
  private all: readonly BtfType[] | undefined;
  private readonly byName = new Map<string, number[]>();
  /**
   * Set when lenient parsing (libbpf 1.1) let string offsets or type ids out of range through: only the raw dump
   * may use such a BTF. The error is the sanity check's first. A FUNC whose type is not a FUNC_PROTO alone leaves
   * this unset: neither the C dumper nor opening an object follows a FUNC's type (typical case: a complete BTF
   * given a base with -B, its ids then pointing into the base).
   */
  readonly referenceError: BtfLensError | undefined;

  constructor(
    header: BtfHeader,
    order: ByteOrder,
    index: TypeIndex,
    typeSection: Uint8Array,
    strings: StringTable,
    referenceError?: BtfLensError,
  ) {
    this.header = header;
    this.order = order;
    this.typeOffsets = index.offsets;
    this.kinds = index.kinds;
    this.words = index.words;
    this.wordAt = index.wordAt;
    this.strings = strings.bytes;
    this.strs = strings;
    this.typeSection = typeSection;
    this.pointerSize = 8;
    this.decoder = makeDecoder(index.words, strings);
    this.referenceError = referenceError;
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
    const t = this.decoder(id, this.wordAt[id] as number);
    this.cache[id] = t;
    return t;
  }

  /** Decodes type `id` afresh without caching it (for one-pass streaming such as the raw dump). */
  decode(id: number): BtfType {
    return this.cache[id] ?? this.decoder(id, this.wordAt[id] as number);
  }

  /** String at `off` in the string section, or undefined if out of range. */
  str(off: number): string | undefined {
    if (off >= this.strings.length) return undefined;
    return this.strs.get(off);
  }

  /** The name of type `id` as the decoder gives it, read from its record without decoding the type ("" if anonymous). */
  nameOf(id: number): string {
    const off = this.words[this.wordAt[id] as number] as number;
    if (off === 0) return "";
    // Only lenient (libbpf 1.1) parsing lets an out-of-range offset through; bpftool prints "(invalid)".
    return off < this.strs.length ? this.strs.get(off) : "(invalid)";
  }

  /**
   * All type ids with this name (any kind), in id order. Compares the name's bytes with each record's
   * string in place (decodes no type and builds no index of all names, which would cost a vmlinux
   * tens of milliseconds), and remembers the answer.
   */
  idsByName(name: string): readonly number[] {
    const hit = this.byName.get(name);
    if (hit) return hit;
    const ids: number[] = [];
    const { words, wordAt, strings } = this;
    const strLen = strings.length;
    if (name === "(invalid)") {
      // What the decoder calls a name whose offset only lenient (libbpf 1.1) parsing let through.
      for (let id = 1; id < this.count; id++) if ((words[wordAt[id] as number] as number) >= strLen) ids.push(id);
    } else if (name !== "") {
      const want = encodeLossless(name);
      const first = want[0];
      const n = want.length;
      for (let id = 1; id < this.count; id++) {
        const off = words[wordAt[id] as number] as number;
        if (off === 0 || off + n >= strLen || strings[off] !== first || strings[off + n] !== 0) continue;
        let same = true;
        for (let i = 1; same && i < n; i++) same = strings[off + i] === want[i];
        if (same) ids.push(id);
      }
    }
    if (this.byName.size >= MAX_NAME_MEMO) this.byName.clear();
    this.byName.set(name, ids);
    return ids;
  }
}

const VOID: BtfType = { kind: "void", id: 0, name: "", nameOff: 0, kflag: false };
/** Names remembered by idsByName before the memo starts over (bounds memory on hostile workloads). */
const MAX_NAME_MEMO = 10_000;

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
   * >= 1.3 does while parsing. Off (libbpf 1.1), only references out of range are kept, in `Btf.referenceError`.
   */
  readonly sanityCheck?: boolean;
}

/** A BTF blob's header and the byte ranges of its two sections, checked as libbpf's btf_parse_hdr does. */
export interface BtfSections {
  readonly header: BtfHeader;
  readonly order: ByteOrder;
  /** Reader over the whole blob (error offsets are file offsets). */
  readonly reader: ByteReader;
  /** Offset of the type section in the blob. */
  readonly typeStart: number;
  readonly types: Uint8Array;
  readonly strings: Uint8Array;
}

/** Reads and checks the header of a BTF blob at file offset `base`; the string section's contents are not checked. */
export function readBtfSections(blob: Uint8Array, base = 0): BtfSections {
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
  const typeStart = hdrLen + header.typeOff;
  return {
    header,
    order,
    reader: r,
    typeStart,
    types: blob.subarray(typeStart, typeStart + header.typeLen),
    strings: blob.subarray(strStart, strStart + header.strLen),
  };
}

export function parseBtf(blob: Uint8Array, base = 0, options: ParseBtfOptions = {}): Btf {
  const { header, order, reader, typeStart, strings } = readBtfSections(blob, base);
  const strStart = header.hdrLen + header.strOff;
  if (header.strLen === 0 || header.strLen - 1 > MAX_STR_OFFSET || strings[header.strLen - 1] !== 0) {
    throw malformed("invalid BTF string section (empty or not NUL-terminated)", base + strStart);
  }
  if (strings[0] !== 0) throw malformed("malformed BTF string section: it does not start with an empty string (split BTF needs a base)", base + strStart);

  const tr = reader.slice(typeStart, header.typeLen, "BTF type section");
  return parseTypes(header, order, tr, strings, base + typeStart, options.sanityCheck ?? true);
}

interface TypeIndex {
  readonly offsets: Uint32Array;
  readonly kinds: Uint8Array;
  readonly words: Uint32Array;
  readonly wordAt: Uint32Array;
}

type RecordDecoder = (id: number, at: number) => BtfType;

/** Zero words before the first record in `Btf.words`: a record that stands for void (id 0). */
export const VOID_WORDS = 4;

/** The type section as native-order u32 words after VOID_WORDS zero words (a trailing partial word is dropped). */
function nativeWords(bytes: Uint8Array, order: ByteOrder): Uint32Array {
  const w = new Uint32Array(VOID_WORDS + (bytes.length >>> 2));
  new Uint8Array(w.buffer, VOID_WORDS * 4, bytes.length & ~3).set(bytes.subarray(0, bytes.length & ~3));
  if (order !== NATIVE_ORDER) {
    for (let i = VOID_WORDS; i < w.length; i++) {
      const v = w[i] as number;
      w[i] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
    }
  }
  return w;
}

const NATIVE_ORDER: ByteOrder = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? "little" : "big";

/**
 * Indexes and validates the type section without building objects: record sizes and kinds
 * (libbpf btf_parse_type_sec), then every string offset and referenced type id
 * (libbpf btf_sanity_check). Decoding happens later, per type, in decode.ts.
 */
function parseTypes(header: BtfHeader, order: ByteOrder, r: ByteReader, strings: Uint8Array, fileBase: number, sanityCheck: boolean): Btf {
  const w = nativeWords(r.bytes, order);
  const end = r.length;

  // Every record is at least 12 bytes: room for all of them, so the loop never grows the arrays.
  const maxTypes = 1 + Math.floor(end / 12);
  const offsets = new Uint32Array(maxTypes);
  const kinds = new Uint8Array(maxTypes);
  let n = 1;
  let pos = 0;
  // Byte offsets; every record is a whole number of words, so `pos` stays word-aligned.
  while (pos + 12 <= end) {
    const info = w[VOID_WORDS + (pos >>> 2) + 1] as number;
    const kind = (info >>> 24) & 0x1f;
    const size = recordSize(kind, info & 0xffff);
    if (size < 0 || kind === BtfKind.UNKN) {
      throw unsupported(`type [${n}]: unsupported BTF kind ${kind}`, fileBase + pos + 4, ERRNO.EINVAL);
    }
    if (pos + size > end) throw truncated(`type [${n}] is malformed: its ${size}-byte record runs past the type section`, fileBase + pos);
    offsets[n] = pos;
    kinds[n] = kind;
    n++;
    pos += size;
  }
  if (pos !== end) throw malformed(`BTF types data is malformed: ${end - pos} trailing bytes`, fileBase + pos);
  const wordAt = new Uint32Array(n);
  for (let id = 1; id < n; id++) wordAt[id] = VOID_WORDS + ((offsets[id] as number) >>> 2);
  const index: TypeIndex = { offsets: offsets.slice(0, n), kinds: kinds.slice(0, n), words: w, wordAt };
  let referenceError: BtfLensError | undefined;
  try {
    validate(index, strings.length, fileBase, true);
  } catch (e) {
    if (sanityCheck || !(e instanceof BtfLensError)) throw e;
    // Lenient: the error counts against the BTF only if some string offset or type id is out of range.
    try {
      validate(index, strings.length, fileBase, false);
    } catch {
      referenceError = e;
    }
  }
  return new Btf(header, order, index, r.bytes, new StringTable(strings), referenceError);
}

/**
 * What btf_sanity_check looks at in each kind's record, as word offsets from the record start:
 * up to two fixed type references (0 = none), then per vlen entry (`stride` words each, from
 * word 3) a string at +0 if `entryName`, and a type reference at `entryRef` (-1 = none).
 * One table instead of a switch keeps the loop's code the same for every kind, so the JIT does
 * not throw its optimised code away when a kind first shows up late in a big BTF.
 */
interface SanityShape {
  readonly refA: number;
  readonly refB: number;
  readonly stride: number;
  readonly entryName: string | undefined;
  readonly entryRef: number;
}

const SANITY: readonly SanityShape[] = (() => {
  const none: SanityShape = { refA: 0, refB: 0, stride: 0, entryName: undefined, entryRef: -1 };
  const t: SanityShape[] = new Array(32).fill(none);
  const ref: SanityShape = { ...none, refA: 2 };
  for (const k of [BtfKind.PTR, BtfKind.TYPEDEF, BtfKind.VOLATILE, BtfKind.CONST, BtfKind.RESTRICT, BtfKind.VAR, BtfKind.DECL_TAG, BtfKind.TYPE_TAG, BtfKind.FUNC]) t[k] = ref;
  t[BtfKind.ARRAY] = { ...none, refA: 3, refB: 4 };
  const members: SanityShape = { ...none, stride: 3, entryName: "field name", entryRef: 1 };
  t[BtfKind.STRUCT] = members;
  t[BtfKind.UNION] = members;
  t[BtfKind.ENUM] = { ...none, stride: 2, entryName: "enum name" };
  t[BtfKind.ENUM64] = { ...none, stride: 3, entryName: "enum name" };
  t[BtfKind.FUNC_PROTO] = { refA: 2, refB: 0, stride: 2, entryName: "param name", entryRef: 1 };
  t[BtfKind.DATASEC] = { ...none, stride: 3, entryRef: 0 };
  return t;
})();

/**
 * libbpf's btf_sanity_check on the raw records: string offsets in range, type ids exist, and (if `funcKinds`)
 * every FUNC refers to a FUNC_PROTO.
 */
function validate(index: TypeIndex, strLen: number, fileBase: number, funcKinds: boolean): void {
  const { kinds, words: w, wordAt } = index;
  const n = kinds.length;
  // Failures are rare: the checks below are plain comparisons; these build the error (byte offsets in the file).
  const fileOff = (word: number): number => fileBase + (word - VOID_WORDS) * 4;
  const badStr = (id: number, what: string, word: number): BtfLensError =>
    malformed(`type [${id}]: invalid ${what} (string offset ${w[word]})`, fileOff(word));
  const badRef = (id: number, ref: number): BtfLensError =>
    malformed(`type [${id}]: invalid referenced type ID ${ref}`, fileOff(wordAt[id] as number));
  for (let id = 1; id < n; id++) {
    const at = wordAt[id] as number;
    const kind = kinds[id] as number;
    const shape = SANITY[kind] as SanityShape;
    if ((w[at] as number) >= strLen) throw badStr(id, "type name", at);
    if (shape.refA !== 0 && (w[at + shape.refA] as number) >= n) throw badRef(id, w[at + shape.refA] as number);
    if (shape.refB !== 0 && (w[at + shape.refB] as number) >= n) throw badRef(id, w[at + shape.refB] as number);
    const stride = shape.stride;
    if (stride !== 0) {
      const entryName = shape.entryName;
      const entryRef = shape.entryRef;
      for (let m = at + 3, e = m + ((w[at + 1] as number) & 0xffff) * stride; m < e; m += stride) {
        if (entryName !== undefined && (w[m] as number) >= strLen) throw badStr(id, entryName, m);
        if (entryRef >= 0 && (w[m + entryRef] as number) >= n) throw badRef(id, w[m + entryRef] as number);
      }
    }
    if (funcKinds && kind === BtfKind.FUNC && kinds[w[at + 2] as number] !== BtfKind.FUNC_PROTO) {
      throw malformed(`type [${id}]: referenced type [${w[at + 2]}] is not FUNC_PROTO`, fileOff(at));
    }
  }
}

/**
 * Record sizes (libbpf: btf_type_size) as a fixed part plus a part per vlen entry, per kind;
 * a fixed part of -1 marks an unknown kind. Tables, like SANITY, keep the parse loop branch-free per kind.
 */
const RECORD_FIXED = new Int8Array(32).fill(-1);
const RECORD_PER_ENTRY = new Uint8Array(32);
for (const k of [BtfKind.FWD, BtfKind.CONST, BtfKind.VOLATILE, BtfKind.RESTRICT, BtfKind.PTR, BtfKind.TYPEDEF, BtfKind.FUNC, BtfKind.FLOAT, BtfKind.TYPE_TAG]) RECORD_FIXED[k] = 12;
for (const k of [BtfKind.INT, BtfKind.VAR, BtfKind.DECL_TAG]) RECORD_FIXED[k] = 16;
RECORD_FIXED[BtfKind.ARRAY] = 24;
for (const k of [BtfKind.ENUM, BtfKind.FUNC_PROTO]) [RECORD_FIXED[k], RECORD_PER_ENTRY[k]] = [12, 8];
for (const k of [BtfKind.ENUM64, BtfKind.STRUCT, BtfKind.UNION, BtfKind.DATASEC]) [RECORD_FIXED[k], RECORD_PER_ENTRY[k]] = [12, 12];

/** Size of a type record with `vlen` entries, or -1 for an unknown kind (libbpf: btf_type_size). */
function recordSize(kind: number, vlen: number): number {
  const fixed = RECORD_FIXED[kind] as number;
  return fixed < 0 ? -1 : fixed + vlen * (RECORD_PER_ENTRY[kind] as number);
}
