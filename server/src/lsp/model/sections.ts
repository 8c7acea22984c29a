// Program and map kinds for the BTF-only fallback view, from the core's section_defs table (per profile).

import { findSecDef, mapTypeName as coreMapTypeName } from "../../core/object/sec-defs.js";
import type { Profile } from "../../core/profile.js";

export interface ProgKind {
  progType: string;
  attachType: string | undefined;
  sleepable: boolean;
}

/** What libbpf deduces from `section`; progType "unspec" when no definition matches (libbpf then refuses to load). */
export function progKindOf(section: string, profile: Profile): ProgKind {
  const d = findSecDef(section, profile.name === "7.7");
  if (!d) return { progType: "unspec", attachType: undefined, sleepable: false };
  return { progType: d.progType, attachType: d.attach || undefined, sleepable: d.sleepable };
}

/** libbpf's map type name for BPF_MAP_TYPE_* number `n`. */
export function mapTypeName(n: number): string {
  return coreMapTypeName(n);
}
