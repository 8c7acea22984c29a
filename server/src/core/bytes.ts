// One bounds-checked little/big-endian reader over a byte buffer; every read checks its range.

import { truncated } from "./errors.js";
import { decodeLossless } from "./text/lossless-utf8.js";

export type ByteOrder = "little" | "big";

/**
 * Reads fixed-width integers at absolute offsets. `base` is the offset of `bytes[0]` in the
 * enclosing file, so errors report file offsets even for sub-readers.
 */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly littleEndian: boolean;
  readonly base: number;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, order: ByteOrder, base = 0) {
    this.bytes = bytes;
    this.littleEndian = order === "little";
    this.base = base;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.byteLength;
  }

  get order(): ByteOrder {
    return this.littleEndian ? "little" : "big";
  }

  has(offset: number, size: number): boolean {
    return offset >= 0 && size >= 0 && offset + size <= this.bytes.byteLength;
  }

  check(offset: number, size: number, what: string): void {
    if (!this.has(offset, size)) {
      throw truncated(`${what}: need ${size} bytes, only ${Math.max(0, this.bytes.byteLength - offset)} left`, this.base + offset);
    }
  }

  u8(offset: number, what = "u8"): number {
    this.check(offset, 1, what);
    return this.bytes[offset] as number;
  }

  u16(offset: number, what = "u16"): number {
    this.check(offset, 2, what);
    return this.view.getUint16(offset, this.littleEndian);
  }

  u32(offset: number, what = "u32"): number {
    this.check(offset, 4, what);
    return this.view.getUint32(offset, this.littleEndian);
  }

  i32(offset: number, what = "i32"): number {
    this.check(offset, 4, what);
    return this.view.getInt32(offset, this.littleEndian);
  }

  /** A 64-bit unsigned value as a number; throws if it exceeds 2^53 (no real file offset does). */
  u64(offset: number, what = "u64"): number {
    this.check(offset, 8, what);
    const lo = this.view.getUint32(offset + (this.littleEndian ? 0 : 4), this.littleEndian);
    const hi = this.view.getUint32(offset + (this.littleEndian ? 4 : 0), this.littleEndian);
    if (hi > 0x1fffff) return Number.MAX_SAFE_INTEGER;
    return hi * 0x100000000 + lo;
  }

  /** A 64-bit unsigned value as a bigint (symbol values, addends). */
  u64n(offset: number, what = "u64"): bigint {
    this.check(offset, 8, what);
    return this.view.getBigUint64(offset, this.littleEndian);
  }

  i64n(offset: number, what = "i64"): bigint {
    this.check(offset, 8, what);
    return this.view.getBigInt64(offset, this.littleEndian);
  }

  /** A sub-reader over [offset, offset+size) whose errors still report file offsets. */
  slice(offset: number, size: number, what = "slice"): ByteReader {
    this.check(offset, size, what);
    return new ByteReader(this.bytes.subarray(offset, offset + size), this.order, this.base + offset);
  }
}


/** The NUL-terminated string at `offset` (to the end of `bytes` if there is no NUL), decoded losslessly. */
export function cString(bytes: Uint8Array, offset: number): string {
  let end = offset;
  let ascii = true;
  const n = bytes.length;
  while (end < n) {
    const c = bytes[end] as number;
    if (c === 0) break;
    if (c >= 0x80) ascii = false;
    end++;
  }
  if (ascii && end - offset < 64) {
    let s = "";
    for (let i = offset; i < end; i++) s += String.fromCharCode(bytes[i] as number);
    return s;
  }
  return ascii ? latin1(bytes, offset, end) : decodeLossless(bytes.subarray(offset, end));
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i += 4096) {
    s += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, Math.min(end, i + 4096))));
  }
  return s;
}
