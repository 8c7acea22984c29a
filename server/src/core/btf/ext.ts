// Parses .BTF.ext: per-section func_info, line_info (file, line, column) and CO-RE relocation records.

import { ByteReader, type ByteOrder } from "../bytes.js";
import { BtfLensError, malformed, truncated } from "../errors.js";
import type { Btf } from "./parse.js";

export interface FuncInfo {
  /** Byte offset of the function's first instruction in its section. */
  readonly insnOff: number;
  /** BTF FUNC type id. */
  readonly typeId: number;
}

export interface LineInfo {
  readonly insnOff: number;
  readonly fileName: string;
  readonly line: string;
  /** 1-based source line (line_col >> 10). */
  readonly lineNum: number;
  /** Column (line_col & 0x3ff). */
  readonly column: number;
}

/** bpf_core_relo_kind names, as libbpf prints them. */
export const CORE_RELO_KINDS = [
  "byte_off", "byte_sz", "field_exists", "signed", "lshift_u64", "rshift_u64", "local_type_id", "target_type_id",
  "type_exists", "type_size", "enumval_exists", "enumval_value", "type_matches",
] as const;

export interface CoreRelo {
  readonly insnOff: number;
  readonly typeId: number;
  /** Access string such as "0:1:2". */
  readonly accessStr: string;
  readonly kind: number;
}

export interface ExtSection<T> {
  readonly section: string;
  readonly records: readonly T[];
}

export interface BtfExt {
  readonly funcInfo: readonly ExtSection<FuncInfo>[];
  readonly lineInfo: readonly ExtSection<LineInfo>[];
  readonly coreRelos: readonly ExtSection<CoreRelo>[];
}

const MIN_REC = { func: 8, line: 16, core: 16 } as const;

/**
 * Parses a .BTF.ext blob. Strings (section and file names, lines, access strings) live in
 * `btf`'s string table. `base` is the blob's file offset, for error messages.
 */
export function parseBtfExt(blob: Uint8Array, btf: Btf, base = 0): BtfExt {
  if (blob.length < 24) throw truncated(`.BTF.ext header: need 24 bytes, have ${blob.length}`, base);
  let order: ByteOrder;
  if (blob[0] === 0x9f && blob[1] === 0xeb) order = "little";
  else if (blob[0] === 0xeb && blob[1] === 0x9f) order = "big";
  else throw malformed("invalid .BTF.ext magic", base);
  const r = new ByteReader(blob, order, base);
  const hdrLen = r.u32(4, "hdr_len");
  if (hdrLen < 24 || hdrLen > blob.length) throw malformed(`.BTF.ext header length ${hdrLen} is invalid`, base + 4);
  const str = (off: number, what: string, at: number): string => {
    const s = btf.str(off);
    if (s === undefined) throw malformed(`.BTF.ext: invalid ${what} string offset ${off}`, base + at);
    return s;
  };

  const parseInfo = <T>(
    desc: string,
    offField: number,
    minRec: number,
    read: (at: number) => T,
  ): ExtSection<T>[] => {
    if (offField + 8 > hdrLen) return [];
    const off = r.u32(offField);
    const len = r.u32(offField + 4);
    if (len === 0) return [];
    if (off % 4 !== 0) throw malformed(`.BTF.ext ${desc} is not aligned to 4 bytes`, base + offField);
    const start = hdrLen + off;
    if (start > blob.length || len > blob.length - start) {
      throw truncated(`.BTF.ext ${desc} (off ${off}, len ${len}) is beyond the end of the section`, base + offField);
    }
    if (len < 4) throw truncated(`.BTF.ext ${desc}: record size not found`, base + start);
    const recSize = r.u32(start);
    if (recSize < minRec || recSize % 4 !== 0) throw malformed(`.BTF.ext ${desc} has invalid record size ${recSize}`, base + start);
    const out: ExtSection<T>[] = [];
    let pos = start + 4;
    const end = start + len;
    while (pos < end) {
      if (end - pos < 8) throw truncated(`.BTF.ext ${desc}: section header not found`, base + pos);
      const section = str(r.u32(pos), "section name", pos);
      const num = r.u32(pos + 4);
      if (num === 0 || num > (end - pos - 8) / recSize) {
        throw malformed(`.BTF.ext ${desc}: section ${section} has incorrect num_records ${num}`, base + pos + 4);
      }
      pos += 8;
      const records: T[] = new Array(num);
      for (let i = 0; i < num; i++, pos += recSize) records[i] = read(pos);
      out.push({ section, records });
    }
    return out;
  };

  try {
    return {
      funcInfo: parseInfo("func_info", 8, MIN_REC.func, (at) => ({ insnOff: r.u32(at), typeId: r.u32(at + 4) })),
      lineInfo: parseInfo("line_info", 16, MIN_REC.line, (at) => {
        const lineCol = r.u32(at + 12);
        return {
          insnOff: r.u32(at),
          fileName: str(r.u32(at + 4), "file name", at + 4),
          line: str(r.u32(at + 8), "line", at + 8),
          lineNum: lineCol >>> 10,
          column: lineCol & 0x3ff,
        };
      }),
      coreRelos: parseInfo("core_relo", 24, MIN_REC.core, (at) => ({
        insnOff: r.u32(at),
        typeId: r.u32(at + 4),
        accessStr: str(r.u32(at + 8), "access", at + 8),
        kind: r.u32(at + 12),
      })),
    };
  } catch (e) {
    throw e instanceof BtfLensError ? e.within(".BTF.ext") : e;
  }
}
