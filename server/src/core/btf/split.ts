// Split BTF (kernel modules, bpftool -B): the base's and the split's sections joined into one blob with one id space.
//
// A split BTF numbers its types after the base's last id and its string offsets after the base's
// string section. Concatenating base types + split types and base strings + split strings, under
// one header, therefore gives a blob in which every id and offset keeps its meaning: what libbpf
// sees through btf__parse_split, with no change to the parser or the dumpers.

import { BtfLensError, unsupported } from "../errors.js";
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
  if (b.order !== s.order) throw unsupported("split BTF and its base have different byte orders", 0);
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
  blob.set(s.types, HEADER_SIZE + b.types.length);
  blob.set(b.strings, HEADER_SIZE + typeLen);
  blob.set(s.strings, HEADER_SIZE + typeLen + b.strings.length);
  return { blob, baseTypeBytes: b.types.length };
}
