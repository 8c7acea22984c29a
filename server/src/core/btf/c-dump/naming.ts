// Name de-duplication as libbpf's btf_dump does it: the Nth type to claim a name becomes `name___N`.

import type { Btf } from "../parse.js";
import type { BtfType } from "../types.js";

/**
 * Two namespaces, as in C: struct/union/enum tags (`typeNames`), and ordinary identifiers,
 * typedef names and enumerators (`identNames`). A type's name is resolved once, the first
 * time it is printed, so the output order decides which duplicate gets the suffix.
 */
export class NameTable {
  private readonly types: readonly BtfType[];
  private readonly typeNames = new Map<string, number>();
  private readonly identNames = new Map<string, number>();
  private readonly cached: (string | undefined)[];
  private readonly resolved: Uint8Array;

  constructor(btf: Btf) {
    this.types = btf.types;
    this.cached = new Array(btf.types.length);
    this.resolved = new Uint8Array(btf.types.length);
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

  /** Name of a struct/union/enum/fwd (tag namespace). */
  typeName(id: number): string {
    return this.resolve(id, this.typeNames);
  }

  /** Name of a typedef (identifier namespace). */
  identName(id: number): string {
    return this.resolve(id, this.identNames);
  }

  private resolve(id: number, map: Map<string, number>): string {
    const t = this.types[id];
    if (t === undefined || t.name === "") return "";
    if (this.resolved[id] === 1) return this.cached[id] ?? t.name;
    this.resolved[id] = 1;
    // Forward declarations and empty enums never clash: they don't claim the name.
    if (t.kind === "fwd" || (t.kind === "enum" && t.values.length === 0)) return t.name;
    const n = this.dups(map, t.name);
    if (n > 1) {
      // libbpf formats into a 256-byte buffer with snprintf.
      const s = truncateUtf8(`${t.name}___${n}`, 255);
      this.cached[id] = s;
      return s;
    }
    return t.name;
  }
}

/** Cut `s` to at most `max` UTF-8 bytes (snprintf truncation; a split character becomes U+FFFD like our decoder). */
function truncateUtf8(s: string, max: number): string {
  if (s.length * 3 <= max) return s;
  const bytes = new TextEncoder().encode(s);
  if (bytes.length <= max) return s;
  return new TextDecoder().decode(bytes.subarray(0, max));
}
