// Virtual document URIs (pure, unit-tested): btf-lens-skeleton:/OBJECT/PATH/NAME.skel.h and btf-lens-type:/OBJECT/PATH/….h

export const SKELETON_SCHEME = "btf-lens-skeleton";
export const TYPE_SCHEME = "btf-lens-type";

export interface SkeletonDoc {
  /** Path part of the object's file URI (`/abs/x.bpf.o`, `/c:/x/y.bpf.o` on Windows). */
  objectPath: string;
  kind: "skeleton" | "subskeleton";
  /** Name override (bpftool's `name NAME`), from the `name=` query. */
  name?: string;
}

/** The URI path of a skeleton document: the object's path, then `NAME.skel.h` (so C highlighting applies). */
export function skeletonDocPath(objectPath: string, fileName: string): string {
  return `${objectPath.replace(/\/+$/, "")}/${fileName.replace(/[/\\]/g, "_")}`;
}

/** Parses a skeleton document's path and query; undefined for anything that is not one. */
export function parseSkeletonDoc(path: string, query: string): SkeletonDoc | undefined {
  const i = path.lastIndexOf("/");
  if (i <= 0) return undefined;
  const file = path.slice(i + 1);
  const kind = file.endsWith(".subskel.h") ? "subskeleton" : file.endsWith(".skel.h") ? "skeleton" : undefined;
  if (kind === undefined) return undefined;
  const doc: SkeletonDoc = { objectPath: path.slice(0, i), kind };
  const name = new URLSearchParams(query).get("name");
  if (name !== null && name !== "") doc.name = name;
  return doc;
}

/** A type definition document: the object's path, then `KIND NAME.h`; the type id is in the query (`id=123`). */
export function typeDocPath(objectPath: string, kind: string, name: string): string {
  const safe = `${kind} ${name}`.replace(/[/\\\u0000-\u001f]/g, "_").slice(0, 120);
  return `${objectPath.replace(/\/+$/, "")}/${safe}.h`;
}

export function parseTypeDoc(path: string, query: string): { objectPath: string; id: number } | undefined {
  const i = path.lastIndexOf("/");
  const id = Number(new URLSearchParams(query).get("id"));
  if (i <= 0 || !Number.isSafeInteger(id) || id <= 0) return undefined;
  return { objectPath: path.slice(0, i), id };
}

/** Makes text safe inside a C block comment. */
export function cComment(text: string): string {
  return `/* ${text.replace(/\*\//g, "* /")} */\n`;
}
