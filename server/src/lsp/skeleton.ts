// The skeleton request: opens the object as libbpf would and runs the core skeleton generator, memoised per version.

import { objectNameFromPath, openObject } from "../core/object/index.js";
import type { Profile } from "../core/profile.js";
import { generateSkeleton } from "../core/skel/index.js";
import type * as P from "../protocol.js";
import type { FileAccessor } from "./files.js";

const MAX_MEMO = 16;
const memo = new Map<string, P.Skeleton.Result>();

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Generates `NAME.skel.h` / `NAME.subskel.h` text for the object at `path`; undefined when the file is gone. */
export async function generateSkeletonText(
  fs: FileAccessor,
  path: string,
  params: P.Skeleton.Params,
  profile: Profile,
): Promise<P.Skeleton.Result | undefined> {
  const st = await fs.stat(path);
  if (!st?.isFile) return undefined;
  const kind = params.kind === "subskeleton" ? "subskeleton" : "skeleton";
  const name = params.name ?? objectNameFromPath(path);
  const key = [path, st.mtimeMs, st.size, profile.name, name, kind].join("\u0000");
  const hit = memo.get(key);
  if (hit) return hit;
  // libbpf-bootstrap's convention: foo.bpf.o -> foo.skel.h (the `name` override wins when given).
  const stem = params.name ?? path.slice(path.lastIndexOf("/") + 1).replace(/(\.bpf)?\.o$/, "");
  const fileName = `${stem}.${kind === "subskeleton" ? "subskel" : "skel"}.h`;
  let result: P.Skeleton.Result;
  try {
    const bytes = await fs.readFile(path);
    // bpftool hands libbpf the object name for skeletons and an empty one for subskeletons.
    const obj = openObject(bytes, { profile, name: kind === "skeleton" ? name : "" });
    try {
      const { text, warnings } = generateSkeleton(obj, { profile, name, kind });
      result = { text, warnings: [...obj.log.map((l) => `libbpf: ${l}`), ...warnings], fileName };
    } catch (e) {
      result = { text: "", warnings: obj.log.map((l) => `libbpf: ${l}`), fileName, error: message(e) };
    }
  } catch (e) {
    result = { text: "", warnings: [], fileName, error: `failed to open BPF object file: ${message(e)}` };
  }
  memo.set(key, result);
  while (memo.size > MAX_MEMO) {
    const oldest = memo.keys().next().value;
    if (oldest === undefined) break;
    memo.delete(oldest);
  }
  return result;
}
