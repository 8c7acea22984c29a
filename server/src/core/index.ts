// Public surface of the dependency-free core library (ELF, BTF, BTF.ext, dumpers, generators).

export * from "./errors.js";
export * from "./bytes.js";
export * from "./profile.js";
export * from "./elf/elf.js";
export * from "./btf/types.js";
export * from "./btf/parse.js";
export * from "./btf/load.js";
export * from "./btf/raw-dump.js";
export * from "./btf/ext.js";
export * from "./btf/c-dump/index.js";
export * from "./object/index.js";
export * from "./layout/index.js";
export { generateSkeleton, type SkeletonOptions, type SkeletonResult } from "./skel/index.js";
