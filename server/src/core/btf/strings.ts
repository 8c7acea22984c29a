// The BTF string section with one shared, lazily built lookup (the model decoder, the C dumper and str() use it).

import { cString } from "../bytes.js";

const latin1Decoder = new TextDecoder("latin1");
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Strings by offset. When the section is pure ASCII (as compilers and pahole write it) it is
 * decoded once and names are slices of that one string, much cheaper than decoding each name;
 * otherwise each name is decoded as UTF-8 and cached.
 */
export class StringTable {
  readonly bytes: Uint8Array;
  private text: string | undefined;
  private ascii: boolean | undefined;
  private cache: Map<number, string> | undefined;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Whether every byte is below 0x80 (then the bytes can be copied to ASCII/UTF-8 output as they are). */
  isAscii(): boolean {
    if (this.ascii === undefined) {
      // latin1 maps ASCII bytes 1:1; one native scan of the decoded text is faster than a JS byte loop.
      const text = latin1Decoder.decode(this.bytes);
      this.ascii = !NON_ASCII.test(text);
      if (this.ascii) this.text = text;
    }
    return this.ascii;
  }

  /** The whole section as one string when it is pure ASCII (names are slices of it), else undefined. */
  asciiText(): string | undefined {
    return this.isAscii() ? this.text : undefined;
  }

  /** The string at `off`, which must be inside the section (offsets were validated by the parser). */
  get(off: number): string {
    if (this.isAscii()) {
      const all = this.text as string;
      const end = all.indexOf("\0", off);
      return all.slice(off, end < 0 ? all.length : end);
    }
    if (!this.cache) this.cache = new Map();
    let v = this.cache.get(off);
    if (v === undefined) {
      v = cString(this.bytes, off);
      this.cache.set(off, v);
    }
    return v;
  }
}
