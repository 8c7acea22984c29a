// Split BTF (kernel modules, bpftool -B): the base's and the split's sections joined into one blob with one id space.
//
// A split BTF numbers its types after the base's last id and its string offsets after the base's
// string section. Concatenating base types + split types and base strings + split strings, under
// one header, therefore gives a blob in which every id and offset keeps its meaning: what libbpf
// sees through btf__parse_split, with no change to the parser or the dumpers.

import { ByteReader, type ByteOrder } from "../bytes.js";
import { malformed, truncated, unsupported } from "../errors.js";

const HEADER_SIZE = 24;

interface Sections {
  readonly order: ByteOrder;
  readonly types: Uint8Array;
  readonly strings: Uint8Array;
}

function sections(blob: Uint8Array, what: string): Sections {
  if (blob.length < HEADER_SIZE) throw truncated(`${what}: BTF header: need ${HEADER_SIZE} bytes, have ${blob.length}`, 0);
  let order: ByteOrder;
  if (blob[0] === 0x9f && blob[1] === 0xeb) order = "little";
  else if (blob[0] === 0xeb && blob[1] === 0x9f) order = "big";
  else throw malformed(`${what}: invalid BTF magic`, 0);
  const r = new ByteReader(blob, order);
  const hdrLen = r.u32(4, "hdr_len");
  const typeOff = r.u32(8, "type_off");
  const typeLen = r.u32(12, "type_len");
  const strOff = r.u32(16, "str_off");
  const strLen = r.u32(20, "str_len");
  if (hdrLen < HEADER_SIZE || hdrLen > blob.length) throw malformed(`${what}: BTF header length ${hdrLen} is invalid`, 4);
  const body = blob.length - hdrLen;
  if (typeOff + typeLen > body || strOff + strLen > body) throw truncated(`${what}: BTF sections end past the data`, 8);
  return {
    order,
    types: blob.subarray(hdrLen + typeOff, hdrLen + typeOff + typeLen),
    strings: blob.subarray(hdrLen + strOff, hdrLen + strOff + strLen),
  };
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
