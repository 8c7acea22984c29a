// bpftool 7.4+ struct_ops shadow types: `struct NAME__MAP__TYPE { struct bpf_program *fn; ...; char __padding_end[] } *MAP;`.

import { CDumper } from "../btf/c-dump/index.js";
import { resolveSize, skipModsAndTypedefs } from "../object/btf-util.js";
import { MAP_TYPE } from "../object/sec-defs.js";
import { genError, namedMaps, type SkelContext } from "./context.js";

/** walk_st_ops_shadow_vars(): scalars keep their type, function pointers become programs, the rest is opaque. */
function shadowMembers(ctx: SkelContext, valueTypeId: number, out: string[]): void {
  const btf = ctx.btf;
  if (!btf) return;
  const t = btf.types[valueTypeId];
  if (t?.kind !== "struct" && t?.kind !== "union") throw genError("struct_ops map value is not a struct");
  const d = new CDumper(btf, { profile: ctx.profile });
  let next = 0;
  for (const [i, m] of t.members.entries()) {
    const { id: memberTypeId, type: mt } = skipModsAndTypedefs(btf, m.type);
    // bpftool divides the raw btf_member.offset, which for a kind_flag struct also holds the bitfield size in its top
    // 8 bits: a bitfield member there gets a huge offset (and `char __padding_N[6291456]`-style filler).
    const rawOffset = t.kflag ? m.bitfieldSize * 2 ** 24 + m.bitOffset : m.bitOffset;
    const offset = Math.floor(rawOffset / 8);
    if (next < offset) out.push(`\t\t\tchar __padding_${i}[${offset - next}];\n`);
    const scalar = mt?.kind === "int" || mt?.kind === "float" || mt?.kind === "enum" || mt?.kind === "enum64";
    if (scalar) {
      out.push(`\t\t\t${d.emitTypeDecl(memberTypeId, { fieldName: m.name, indent: 3 })};\n`);
      const size = resolveSize(btf, memberTypeId);
      if (size < 0) throw genError(`Failed to resolve size of ${m.name}: -22\n`);
      next = offset + size;
      continue;
    }
    if (mt?.kind === "ptr" && skipModsAndTypedefs(btf, mt.type).type?.kind === "func_proto") {
      out.push(`\t\t\tstruct bpf_program *${m.name};\n`);
      next = offset + 8;
      continue;
    }
    const size = resolveSize(btf, memberTypeId);
    if (size < 0) throw genError(`Failed to resolve size of ${m.name}: -22\n`);
    out.push(`\t\t\tchar __unsupported_${i}[${size}];\n`);
    next = offset + size;
  }
  const size = resolveSize(btf, valueTypeId);
  if (next < size) out.push(`\t\t\tchar __padding_end[${size - next}];\n`);
}

/** gen_st_ops_shadow(): the `struct { ... } struct_ops;` member (bpftool 7.4+ only). */
export function genStructOpsShadow(ctx: SkelContext, out: string[]): void {
  if (!ctx.profile.structOpsShadow || !ctx.btf) return;
  let cnt = 0;
  for (const { map, ident } of namedMaps(ctx)) {
    if (map.type !== MAP_TYPE.STRUCT_OPS) continue;
    if (cnt++ === 0) out.push("\tstruct {\n");
    if (map.valueTypeId === 0) throw genError("struct_ops map has no BTF value type", 22);
    const typeName = ctx.btf.types[map.valueTypeId]?.name ?? "";
    out.push(`\t\tstruct ${ctx.name}__${ident}__${typeName} {\n`);
    shadowMembers(ctx, map.valueTypeId, out);
    out.push(`\t\t} *${ident};\n`);
  }
  if (cnt) out.push("\t} struct_ops;\n");
}

/** gen_st_ops_shadow_init(): point each shadow at the map's initial value after open. */
export function genStructOpsShadowInit(ctx: SkelContext, out: string[]): void {
  if (!ctx.profile.structOpsShadow || !ctx.btf) return;
  for (const { map, ident } of namedMaps(ctx)) {
    if (map.type !== MAP_TYPE.STRUCT_OPS) continue;
    out.push(`\tobj->struct_ops.${ident} = (__typeof__(obj->struct_ops.${ident}))\n\t\tbpf_map__initial_value(obj->maps.${ident}, NULL);\n\n`);
  }
}
