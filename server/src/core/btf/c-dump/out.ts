// The dumper's output buffer: UTF-8 bytes in a growable array, handed out in large chunks (bytes or text).
//
// Appending many short pieces to a JS string builds a rope of small heap objects; writing the
// characters into one byte array keeps the garbage collector out of the hot path.

import { BtfLensError, ERRNO } from "../../errors.js";
import { decodeLossless, encodeLossless } from "../../text/lossless-utf8.js";

/** Upper bound on the output we are willing to build (hostile struct sizes ask for gigabytes of padding). */
export const MAX_OUTPUT_BYTES = 128 * 1024 * 1024;


export class OutBuf {
  private bytes = new Uint8Array(1 << 17);
  /** Bytes written and not yet taken. */
  pos = 0;
  /** Bytes already taken by the caller. */
  private taken = 0;

  print(s: string): void {
    const n = s.length;
    if (this.pos + 3 * n > this.bytes.length) this.grow(3 * n);
    const o = this.bytes;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // Rare (names from the string table may be UTF-8, or not): the lossless encoder does the rest.
        const rest = encodeLossless(s.slice(i));
        o.set(rest, p);
        p += rest.length;
        break;
      }
      o[p++] = c;
    }
    this.pos = p;
  }

  /** The text written since byte `from` (a value of `pos`). */
  text(from: number): string {
    return decodeLossless(this.bytes.subarray(from, this.pos));
  }

  /** Everything written so far, as bytes the caller keeps (counted against MAX_OUTPUT_BYTES); the buffer starts over. */
  takeBytes(): Uint8Array {
    const out = this.bytes.subarray(0, this.pos);
    this.taken += this.pos;
    if (this.taken > MAX_OUTPUT_BYTES) throw tooLarge();
    this.bytes = new Uint8Array(this.bytes.length);
    this.pos = 0;
    return out;
  }

  private grow(need: number): void {
    if (this.taken + this.pos + need > MAX_OUTPUT_BYTES) throw tooLarge();
    let size = this.bytes.length * 2;
    while (size < this.pos + need) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.bytes.subarray(0, this.pos));
    this.bytes = bigger;
  }
}

function tooLarge(): BtfLensError {
  return new BtfLensError("unsupported", "C dump output too large (hostile type sizes?)", { errno: ERRNO.E2BIG });
}
