// Data-section parts of (sub)skeletons: the per-section structs, the subskeleton pointer structs, the size asserts.

import { CDumper } from "../btf/c-dump/index.js";
import { layoutDatasec } from "../layout/datasec-layout.js";
import { resolveSize, skipModsAndTypedefs } from "../object/btf-util.js";
import { sanitizeIdentifier } from "../object/open.js";
import type { DataSection } from "../object/types.js";
import { datasecForIdent, genError, mmapableIdent, type SkelContext } from "./context.js";
import { datasecIdent } from "./names.js";

/** codegen_datasec_def(): `struct NAME__SEC { fields with char __padN[] } *SEC;`. */
function datasecDef(ctx: SkelContext, d: CDumper, sec: DataSection, out: string[]): void {
  const ident = datasecIdent(sec.name);
  if (ident === undefined) return;
  const stripMods = sec.name !== ".kconfig";
  const layout = layoutDatasec(ctx.btf, sec);
  out.push(`\tstruct ${ctx.name}__${ident} {\n`);
  let padCnt = 0;
  for (const [i, lv] of layout.vars.entries()) {
    if (lv.var.skipped) continue;
    // codegen_datasec_def's checks, in its order (i counts static variables too, as the DATASEC does).
    if (lv.skelOffBefore > lv.offset) {
      throw genError(`Something is wrong for ${sec.name}'s variable #${i}: need offset ${lv.offset}, already at ${lv.skelOffBefore}.\n`);
    }
    if (lv.align <= 0) throw genError(`Failed to determine alignment of variable '${lv.name}': -22`);
    if (lv.skelPadBefore > 0) out.push(`\t\tchar __pad${padCnt++}[${lv.skelPadBefore}];\n`);
    const decl = d.emitTypeDecl(lv.var.typeId, { fieldName: sanitizeIdentifier(lv.name), indent: 2, stripMods });
    out.push(`\t\t${decl};\n`);
  }
  out.push(`\t} *${ident};\n`);
}

/** codegen_datasecs(): one struct per memory-mapped internal map, empty when it has no DATASEC. */
export function genDatasecs(ctx: SkelContext, out: string[]): void {
  const btf = ctx.btf;
  if (!btf) return;
  const d = new CDumper(btf, { profile: ctx.profile });
  for (const map of ctx.obj.maps) {
    const ident = mmapableIdent(ctx, map);
    if (ident === undefined) continue;
    const sec = datasecForIdent(ctx, ident);
    if (!sec) out.push(`\tstruct ${ctx.name}__${ident} {\n\t} *${ident};\n`);
    else datasecDef(ctx, d, sec, out);
  }
}

/** codegen_subskel_datasecs(): pointers to each exposed variable, `typeof(T) *` for arrays and function pointers. */
export function genSubskelDatasecs(ctx: SkelContext, out: string[]): void {
  const btf = ctx.btf;
  if (!btf) return;
  const d = new CDumper(btf, { profile: ctx.profile });
  const typeofKw = ctx.profile.typeofKeyword;
  for (const map of ctx.obj.maps) {
    const ident = mmapableIdent(ctx, map);
    if (ident === undefined) continue;
    const sec = datasecForIdent(ctx, ident);
    if (!sec) continue;
    const secIdent = datasecIdent(sec.name);
    if (secIdent === undefined) continue;
    const stripMods = sec.name !== ".kconfig";
    out.push(`\tstruct ${ctx.name}__${secIdent} {\n`);
    for (const v of sec.vars) {
      if (v.skipped) continue;
      const under = skipModsAndTypedefs(btf, v.typeId).type;
      const target = under?.kind === "ptr" ? btf.types[under.type] : undefined;
      const needsTypeof = under?.kind === "array" || target?.kind === "func_proto";
      const decl = d.emitTypeDecl(v.typeId, { fieldName: "", indent: 2, stripMods });
      out.push(needsTypeof ? `\t\t${typeofKw}(${decl}) *${v.name};\n` : `\t\t${decl} *${v.name};\n`);
    }
    out.push(`\t} ${secIdent};\n`);
  }
}

/** codegen_asserts(): `_Static_assert(sizeof(s->SEC->VAR) == N, ...)` for every exposed variable. */
export function genAsserts(ctx: SkelContext, out: string[]): void {
  const btf = ctx.btf;
  if (!btf) return;
  const n = ctx.name;
  out.push(
    `__attribute__((unused)) static void\n${n}__assert(struct ${n} *s __attribute__((unused)))\n{\n` +
      "#ifdef __cplusplus\n#define _Static_assert static_assert\n#endif\n",
  );
  for (const map of ctx.obj.maps) {
    const ident = mmapableIdent(ctx, map);
    if (ident === undefined) continue;
    const sec = datasecForIdent(ctx, ident);
    if (!sec) continue;
    for (const v of sec.vars) {
      if (v.skipped) continue;
      const size = resolveSize(btf, v.typeId);
      if (size < 0) continue;
      const id = sanitizeIdentifier(v.name);
      out.push(`\t_Static_assert(sizeof(s->${ident}->${id}) == ${size}, "unexpected size of '${id}'");\n`);
    }
  }
  out.push("#ifdef __cplusplus\n#undef _Static_assert\n#endif\n}\n");
}
