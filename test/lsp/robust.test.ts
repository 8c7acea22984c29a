// Seeded mutations of corpus objects: the server's model, hovers, views and diagnostics never throw.

import { describe, expect, it } from "vitest";
import { parseElf } from "../../server/src/core/elf/elf.js";
import { PROFILES } from "../../server/src/core/profile.js";
import { sourceDiagnostics } from "../../server/src/lsp/diagnostics.js";
import { hoverMarkdown } from "../../server/src/lsp/hover.js";
import { CTypes } from "../../server/src/lsp/model/ctype.js";
import { buildObjectInfo } from "../../server/src/lsp/model/object-info.js";
import { datasecNodes, layoutNodes, mapNodes, namedTypes, programGroups } from "../../server/src/lsp/views.js";
import { corpusObjects, readObject } from "../helpers/golden.js";

/** mulberry32: a small seeded PRNG, so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ["task", "events", "config", "rodata", "bss", "LICENSE", "sock", "int", "cfg_version", "stats_map"];

describe.each(corpusObjects().filter((n) => n !== "icmp_filter_nobtf"))("mutated %s", (name) => {
  it("is served without exceptions", () => {
    const base = readObject(name);
    // Half of the mutations land in .BTF / .BTF.ext, where the model does most of its reading.
    const elf = parseElf(base);
    const targets = [".BTF", ".BTF.ext", ".maps"].map((s) => elf.sectionByName(s)).filter((s) => s !== undefined && s.size > 0);
    for (let seed = 1; seed <= 12; seed++) {
      const r = rng(seed * 7919 + name.length);
      const bytes = new Uint8Array(base);
      const flips = 1 + Math.floor(r() * 8);
      for (let i = 0; i < flips; i++) {
        const sec = r() < 0.5 ? targets[Math.floor(r() * targets.length)] : undefined;
        const at = sec ? sec.offset + Math.floor(r() * sec.size) : Math.floor(r() * bytes.length);
        bytes[at] = Math.floor(r() * 256);
      }
      const cut = r() < 0.2 ? bytes.subarray(0, Math.floor(r() * bytes.length)) : bytes;
      for (const profile of [PROFILES["7.7"], PROFILES["7.1"]]) {
        const label = `${name} seed ${seed} profile ${profile.name}`;
        const run = (): void => {
          const info = buildObjectInfo("/ws/x.bpf.o", cut, profile);
          const c = info.btf ? new CTypes(info.btf, profile) : undefined;
          const locate = () => undefined;
          programGroups(info, locate);
          mapNodes(info, c, locate);
          datasecNodes(info, c, locate);
          layoutNodes(info, c, locate);
          namedTypes(info);
          if (c) for (const w of WORDS) hoverMarkdown(info, c, { word: w, start: 0, end: w.length, before: undefined });
          sourceDiagnostics({ text: "", object: "/ws/x.bpf.o", searched: [], info, sourceMtimeMs: 0, objectMtimeMs: 0 });
        };
        expect(run, label).not.toThrow();
      }
    }
  });
});
