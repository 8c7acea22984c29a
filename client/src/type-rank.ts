// Find Type's ranking of type names (pure, unit-tested): exact, prefix, then substring matches.

import type { TypeEntry } from "../../server/src/protocol.js";

/** Case-insensitive match ranking for Find Type: exact, prefix, then substring; at most `limit` results. */
export function rankTypes(entries: readonly TypeEntry[], query: string, limit: number): TypeEntry[] {
  const q = query.trim().toLowerCase();
  if (q === "") return entries.slice(0, limit);
  const exact: TypeEntry[] = [];
  const prefix: TypeEntry[] = [];
  const sub: TypeEntry[] = [];
  for (const t of entries) {
    const n = t.name.toLowerCase();
    if (n === q) exact.push(t);
    else if (n.startsWith(q)) prefix.push(t);
    else if (sub.length < limit && n.includes(q)) sub.push(t);
  }
  return [...exact, ...prefix, ...sub].slice(0, limit);
}
