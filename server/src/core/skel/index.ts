// Public API of the (sub)skeleton generator: pure text generation from an opened object, with warnings.

import type { BpfObject } from "../object/types.js";
import type { Profile } from "../profile.js";
import type { SkelContext } from "./context.js";
import { identifierWarnings } from "./identifiers.js";
import { genSkeleton } from "./skeleton.js";
import { genSubskeleton } from "./subskeleton.js";

export interface SkeletonOptions {
  readonly profile: Profile;
  /** C name of the skeleton (bpftool's `name NAME`); default: the object's name. */
  readonly name?: string;
  readonly kind: "skeleton" | "subskeleton";
}

export interface SkeletonResult {
  readonly text: string;
  /** Things bpftool does silently that make the output unusable (invalid C, missing members). */
  readonly warnings: string[];
}

/**
 * Generates what `bpftool gen skeleton|subskeleton` prints for `obj`. Pure: no I/O. Throws
 * BtfLensError where bpftool fails (errno = bpftool's exit status as a negative errno).
 */
export function generateSkeleton(obj: BpfObject, options: SkeletonOptions): SkeletonResult {
  const name = options.name ?? obj.name;
  const warnings: string[] = [];
  const ctx: SkelContext = {
    obj,
    btf: obj.btf,
    profile: options.profile,
    name,
    libbpfName: options.kind === "skeleton" ? name : "",
    warnings,
  };
  if (/^[0-9]/.test(name)) {
    warnings.push(`object name '${name}' starts with a digit, so the generated header is not valid C; pass a name (\`name NEW\`)`);
  }
  if (options.kind === "skeleton" && !obj.btf && !options.profile.mmapOnlyExposed && obj.maps.some((m) => m.mmapable)) {
    warnings.push("the object has no BTF: this bpftool's skeleton refers to data-section members it never declares (not valid C)");
  }
  const text = options.kind === "skeleton" ? genSkeleton(ctx) : genSubskeleton(ctx);
  warnings.push(...identifierWarnings(obj, ctx.libbpfName, text));
  return { text, warnings };
}

export { headerGuard, printHex, mapIdent, datasecIdent, mapName } from "./names.js";
