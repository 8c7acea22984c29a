// Shared state of one skeleton generation: the object, names, profile, and the map/datasec lookups gen.c does.

import type { Btf } from "../btf/parse.js";
import { BtfLensError, ERRNO } from "../errors.js";
import { MAP_TYPE } from "../object/sec-defs.js";
import type { BpfMap, BpfObject, DataSection, DataVar } from "../object/types.js";
import type { Profile } from "../profile.js";
import { datasecIdent, mapIdent } from "./names.js";

export interface SkelContext {
  readonly obj: BpfObject;
  readonly btf: Btf | undefined;
  readonly profile: Profile;
  /** Name used in the generated C (struct name, function prefixes). */
  readonly name: string;
  /** Object name libbpf was given (internal map prefixes): the name for skeletons, "" for subskeletons. */
  readonly libbpfName: string;
  readonly warnings: string[];
}

/** Maps that get_map_ident() accepts, with their identifiers, in creation order. */
export function namedMaps(ctx: SkelContext): { map: BpfMap; ident: string }[] {
  const out: { map: BpfMap; ident: string }[] = [];
  for (const map of ctx.obj.maps) {
    const ident = mapIdent(map, ctx.libbpfName);
    if (ident !== undefined) out.push({ map, ident });
  }
  return out;
}

/** is_mmapable_map(): an ARENA map with initial data (`arena`), or internal maps with BPF_F_MMAPABLE and an identifier. */
export function mmapableIdent(ctx: SkelContext, map: BpfMap): string | undefined {
  if (!map.mmapable || map.data === undefined) return undefined;
  if (map.type === MAP_TYPE.ARENA) return "arena";
  return mapIdent(map, ctx.libbpfName);
}

/** find_type_for_map(): the first DATASEC whose identifier equals the map's, with libbpf's fixed-up vars. */
export function datasecForIdent(ctx: SkelContext, ident: string): DataSection | undefined {
  const btf = ctx.btf;
  if (!btf) return undefined;
  for (const t of btf.types) {
    if (t.kind !== "datasec" || datasecIdent(t.name) !== ident) continue;
    const fixed = ctx.obj.datasecs.find((d) => d.btfId === t.id);
    if (fixed) return fixed;
    // A DATASEC libbpf did not turn into a map: use it as it is in the file.
    const vars: DataVar[] = [];
    for (const vsi of t.vars) {
      const v = btf.types[vsi.type];
      if (v?.kind !== "var") continue;
      const linkage = v.linkage === 0 ? "static" : v.linkage === 2 ? "extern" : "global";
      vars.push({ name: v.name, varId: v.id, typeId: v.type, offset: vsi.offset, size: vsi.size, linkage, skipped: linkage !== "global" });
    }
    return { name: t.name, sectionIndex: -1, size: t.size, btfId: t.id, vars };
  }
  return undefined;
}

/** A generation failure: bpftool prints `Error: ...` and exits with the given code. */
export function genError(message: string, errno: number = ERRNO.EINVAL): BtfLensError {
  return new BtfLensError("unsupported", message, { errno });
}
