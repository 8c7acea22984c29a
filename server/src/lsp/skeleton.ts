// The skeleton request: runs the core skeleton generator on an object (wired in once core/skel lands).

import type { Profile } from "../core/profile.js";
import type * as P from "../protocol.js";
import type { FileAccessor } from "./files.js";
import { objectNameOf } from "./model/object-info.js";

export async function generateSkeletonText(
  fs: FileAccessor,
  path: string,
  params: P.Skeleton.Params,
  profile: Profile,
): Promise<P.Skeleton.Result | undefined> {
  const st = await fs.stat(path);
  if (!st?.isFile) return undefined;
  const name = params.name ?? objectNameOf(path);
  const fileName = `${name}.${params.kind === "subskeleton" ? "subskel" : "skel"}.h`;
  return { text: "", warnings: [], fileName, error: `skeleton generator not available yet (profile ${profile.name})` };
}
