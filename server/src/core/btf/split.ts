// Split BTF (kernel modules, bpftool -B): the base's and the split's sections joined into one blob with one id space.
//
// A split BTF numbers its types after the base's last id and its string offsets after the base's
// string section. Concatenating base types + split types and base strings + split strings, under
// one header, therefore gives a blob in which every id and offset keeps its meaning: what libbpf
// sees through btf__parse_split, with no change to the parser or the dumpers.

import { BtfLensError } from "../errors.js";
import { type BtfSections, readBtfSections } from "./parse.js";

const HEADER_SIZE = 24;

/** The header checks of the parser, with the blob's role in front of any error. */
function sections(blob: Uint8Array, what: string): BtfSections {
  try {
    return readBtfSections(blob);
  } catch (e) {
    throw e instanceof BtfLensError ? e.within(what) : e;
  }
}

export interface MergedBtf {
  /** One BTF blob holding the base's types and strings, then the split's. */
  readonly blob: Uint8Array;
  /** Byte length of the base's type section: the split's first record starts there. */
  readonly baseTypeBytes: number;
}

/** Joins `base` and the split BTF `split` (both raw BTF blobs) into one blob. */
export function mergeSplitBtf(base: Uint8Array, split: Uint8Array): MergedBtf {
  const b = sections(base, "base BTF");
  const s = sections(split, "split BTF");
  // libbpf reads each blob in its own byte order; every type record is 32-bit words, strings are bytes.
  const splitTypes = b.order === s.order ? s.types : swapWords(s.types);
  const typeLen = b.types.length + s.types.length;
  const strLen = b.strings.length + s.strings.length;
  const blob = new Uint8Array(HEADER_SIZE + typeLen + strLen);
  const dv = new DataView(blob.buffer);
  const le = b.order === "little";
  dv.setUint16(0, 0xeb9f, le);
  blob[2] = base[2] ?? 1;
  blob[3] = 0;
  dv.setUint32(4, HEADER_SIZE, le);
  dv.setUint32(8, 0, le);
  dv.setUint32(12, typeLen, le);
  dv.setUint32(16, typeLen, le);
  dv.setUint32(20, strLen, le);
  blob.set(b.types, HEADER_SIZE);
  blob.set(splitTypes, HEADER_SIZE + b.types.length);
  blob.set(b.strings, HEADER_SIZE + typeLen);
  blob.set(s.strings, HEADER_SIZE + typeLen + b.strings.length);
  return { blob, baseTypeBytes: b.types.length };
}

/** A copy of `types` with the bytes of every 32-bit word reversed (a trailing partial word is kept as it is). */
function swapWords(types: Uint8Array): Uint8Array {
  const out = Uint8Array.from(types);
  for (let i = 0; i + 4 <= out.length; i += 4) {
    out[i] = types[i + 3] as number;
    out[i + 1] = types[i + 2] as number;
    out[i + 2] = types[i + 1] as number;
    out[i + 3] = types[i] as number;
  }
  return out;
}
