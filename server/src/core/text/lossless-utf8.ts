// Names from an object as JS strings without losing a byte: UTF-8, with each invalid byte as U+DC80..U+DCFF.
//
// bpftool prints names as the bytes they are. Decoding them as UTF-8 with U+FFFD for invalid
// sequences (TextDecoder's default) made our output differ on such names. Here an undecodable byte
// 0xXY becomes the lone surrogate U+DCXY (Python's "surrogateescape"), which valid UTF-8 can never
// produce, and encoding turns it back into 0xXY: string equality is byte equality, and output is
// byte-identical. Displays show such a character as a replacement character.

const strictDecoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();
/** A low surrogate of the escape range not preceded by a high surrogate (i.e. not half of a pair). */
const ESCAPED = /(?:^|[^\uD800-\uDBFF])[\uDC80-\uDCFF]/;

/** Decodes `bytes` as UTF-8; bytes that are not part of a valid sequence become U+DC80..U+DCFF. */
export function decodeLossless(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return decodeEscaping(bytes);
  }
}

function decodeEscaping(b: Uint8Array): string {
  const units: number[] = [];
  const n = b.length;
  for (let i = 0; i < n; ) {
    const c = b[i] as number;
    let len = 0;
    let cp = 0;
    let min = 0;
    if (c < 0x80) {
      units.push(c);
      i++;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf) [len, cp, min] = [2, c & 0x1f, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [len, cp, min] = [3, c & 0x0f, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [len, cp, min] = [4, c & 0x07, 0x10000];
    let ok = len > 0 && i + len <= n;
    for (let k = 1; ok && k < len; k++) {
      const cc = b[i + k] as number;
      if ((cc & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid too.
    if (ok && (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)) ok = false;
    if (!ok) {
      units.push(0xdc00 + c);
      i++;
      continue;
    }
    if (cp >= 0x10000) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    else units.push(cp);
    i += len;
  }
  let s = "";
  for (let i = 0; i < units.length; i += 4096) s += String.fromCharCode(...units.slice(i, i + 4096));
  return s;
}

/** Encodes `s` as UTF-8, turning U+DC80..U+DCFF (from decodeLossless) back into the bytes they stand for. */
export function encodeLossless(s: string): Uint8Array {
  if (!ESCAPED.test(s)) return encoder.encode(s);
  const out: number[] = [];
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u >= 0xdc80 && u <= 0xdcff && !(i > 0 && isHigh(s.charCodeAt(i - 1)))) {
      for (const x of encoder.encode(s.slice(from, i))) out.push(x);
      out.push(u - 0xdc00);
      from = i + 1;
    }
  }
  for (const x of encoder.encode(s.slice(from))) out.push(x);
  return Uint8Array.from(out);
}

function isHigh(u: number): boolean {
  return u >= 0xd800 && u <= 0xdbff;
}
