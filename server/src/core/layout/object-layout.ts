// Layouts of every data section of an opened object, with C types named as the skeleton names them.

import { CDumper } from "../btf/c-dump/index.js";
import type { BpfObject } from "../object/types.js";
import { type DatasecLayout, layoutDatasec } from "./datasec-layout.js";

/**
 * One layout per data section that libbpf turned into a map, in map order. Types are rendered by one
 * persistent C dumper (so `___2` suffixes match the skeleton), without const/volatile except in `.kconfig`.
 */
export function layoutObject(obj: BpfObject): DatasecLayout[] {
  const btf = obj.btf;
  const dumper = btf ? new CDumper(btf, { profile: obj.profile }) : undefined;
  return obj.datasecs.map((sec) =>
    layoutDatasec(btf, sec, {
      describe: (typeId) => (dumper ? dumper.emitTypeDecl(typeId, { stripMods: sec.name !== ".kconfig" }) : ""),
    }),
  );
}
