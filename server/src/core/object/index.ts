// Public surface of the object model: openObject() and its types.

export * from "./types.js";
export { openObject, objectNameFromPath, sanitizeIdentifier, internalMapName, internalMapUserName, LIBBPF_ERRNO } from "./open.js";
export { resolveSize, alignOf, skipModsAndTypedefs } from "./btf-util.js";
export { findSecDef, SECTION_DEFS, MAP_TYPE_NAMES, PROG_TYPE_NAMES, ATTACH_TYPE_NAMES } from "./sec-defs.js";
