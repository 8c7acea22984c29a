// Name de-duplication as libbpf's btf_dump does it: the Nth type to claim a name becomes `name___N`.

import { decodeLossless, encodeLossless } from "../../text/lossless-utf8.js";
import { BtfKind } from "../types.js";
import type { RawTypes } from "./raw.js";

/**
 * Two namespaces, as in C: struct/union/enum tags (`typeNames`), and ordinary identifiers,
 * typedef names and enumerators (`identNames`). A type's name is resolved once, the first
 * time it is printed, so the output order decides which duplicate gets the suffix.
 */
export class NameTable {
  private readonly r: RawTypes;
  private readonly typeNames = new Map<string, number>();
  private readonly identNames = new Map<string, number>();
  private readonly resolvedName: (string | undefined)[];

  constructor(r: RawTypes) {
    this.r = r;
    this.resolvedName = new Array(r.count);
  }

  /** libbpf btf_dump_name_dups: count one more use of `name`, return the count. */
  private dups(map: Map<string, number>, name: string): number {
    const n = (map.get(name) ?? 0) + 1;
    map.set(name, n);
    return n;
  }

  /** Enumerators share the identifier namespace with typedefs. */
  enumeratorDups(name: string): number {
    return this.dups(this.identNames, name);
  }

  /** Enumerator names as first printed, per enum id (for idempotent hovers; see CDumper.typeDefinition). */
  readonly printedEnumerators = new Map<number, string[]>();
  /** When set, an enum printed before repeats its first names instead of counting them again. */
  replayEnumerators = false;

  /** Name of a struct/union/enum/fwd (tag namespace). */
  typeName(id: number): string {
    return this.resolvedName[id] ?? this.resolve(id, this.typeNames);
  }

  /** Name of a typedef (identifier namespace). */
  identName(id: number): string {
    return this.resolvedName[id] ?? this.resolve(id, this.identNames);
  }

  private resolve(id: number, map: Map<string, number>): string {
    const r = this.r;
    // Only name offset 0 is anonymous: a nonzero offset of an empty string claims "" like any name (as libbpf).
    if (r.nameOff(id) === 0) return "";
    const name = r.name(id);
    let out = name;
    const k = r.kind(id);
    // Forward declarations and empty enums never clash: they don't claim the name.
    if (!(k === BtfKind.FWD || (k === BtfKind.ENUM && r.vlen(id) === 0))) {
      const n = this.dups(map, name);
      // libbpf formats into a 256-byte buffer with snprintf.
      if (n > 1) out = truncateUtf8(`${name}___${n}`, 255);
    }
    this.resolvedName[id] = out;
    return out;
  }
}

/** Cut `s` to at most `max` bytes (snprintf truncation; the bytes of a split character are kept as they are). */
function truncateUtf8(s: string, max: number): string {
  if (s.length * 3 <= max) return s;
  const bytes = encodeLossless(s);
  if (bytes.length <= max) return s;
  return decodeLossless(bytes.subarray(0, max));
}
