// Data-section layout model: holes + variables + tail padding add up to the section size, and bpftool's padding rules.

import { describe, expect, it } from "vitest";
import { CDumper } from "../server/src/core/btf/c-dump/index.js";
import { layoutDatasec, layoutObject } from "../server/src/core/layout/index.js";
import { objectNameFromPath, openObject } from "../server/src/core/object/index.js";
import { PROFILES } from "../server/src/core/profile.js";
import { corpusObjects, golden, readObject, type GoldenProfile } from "./helpers/golden.js";

const profiles: GoldenProfile[] = ["7.7", "7.1"];

function tryOpen(name: string, profile: GoldenProfile) {
  try {
    return openObject(readObject(name), { profile: PROFILES[profile], name: objectNameFromPath(`${name}.bpf.o`) });
  } catch {
    return undefined;
  }
}

describe.each(profiles)("profile %s", (profile) => {
  it.each(corpusObjects())("%s: every section's bytes are accounted for", (name) => {
    const obj = tryOpen(name, profile);
    if (!obj) return expect(golden(profile, `${name}.skel.h`)).toBeUndefined();
    for (const sec of obj.datasecs) {
      const l = layoutDatasec(obj.btf, sec);
      expect(l.problems, `${sec.name}`).toEqual([]);
      let covered = 0;
      let end = 0;
      for (const v of l.vars) {
        expect(v.offset, `${sec.name}/${v.name}`).toBeGreaterThanOrEqual(0);
        expect(v.offset + v.size, `${sec.name}/${v.name} inside`).toBeLessThanOrEqual(sec.size);
        expect(v.holeBefore).toBe(Math.max(0, v.offset - end));
        covered += v.holeBefore + Math.max(0, v.offset + v.size - Math.max(end, v.offset));
        end = Math.max(end, v.offset + v.size);
        expect(v.cacheLine).toBe(Math.floor(v.offset / 64));
        if (!v.var.skipped && v.align > 0) expect(v.offset % Math.min(v.align, 4), `${v.name} aligned`).toBe(0);
      }
      expect(covered + l.tailPadding, `${sec.name}: holes + vars + tail`).toBe(sec.size);
      expect(l.wasted).toBe(l.vars.reduce((n, v) => n + v.holeBefore, 0) + l.tailPadding);
    }
  });

  it.each(corpusObjects())("%s: skeleton padding decisions match the golden's char __padN[] lines", (name) => {
    const text = golden(profile, `${name}.skel.h`);
    const obj = tryOpen(name, profile);
    if (!text || !obj?.btf) return;
    let compared = 0;
    for (const sec of obj.datasecs) {
      const ident = sec.name.slice(1).replace(/[^A-Za-z0-9_]/g, "_");
      const block = text.match(new RegExp(`\\tstruct [^ ]+__${ident} \\{\\n([\\s\\S]*?)\\t\\} \\*${ident};`))?.[1];
      if (block === undefined) continue;
      compared++;
      const want = [...block.matchAll(/char __pad\d+\[(\d+)\];/g)].map((m) => Number(m[1]));
      const got = layoutDatasec(obj.btf, sec).vars.filter((v) => v.skelPadBefore > 0).map((v) => v.skelPadBefore);
      expect(got, `${name} ${sec.name}`).toEqual(want);
    }
    const exposed = obj.datasecs.filter((d) => d.vars.some((v) => !v.skipped)).length;
    expect(compared).toBeGreaterThanOrEqual(exposed);
  });
});

describe("layout details", () => {
  it("config_layout .rodata: __int128 after a 4-byte hole, char then u64 padding, C types from the dumper", () => {
    const obj = tryOpen("config_layout", "7.7");
    const btf = obj?.btf;
    const sec = obj?.datasecs.find((d) => d.name === ".rodata");
    if (!btf || !sec) throw new Error("config_layout must open");
    const d = new CDumper(btf, { profile: PROFILES["7.7"] });
    const l = layoutDatasec(btf, sec, { describe: (id) => d.emitTypeDecl(id, { stripMods: true }) });
    const byName = Object.fromEntries(l.vars.map((v) => [v.name, v]));
    expect(byName.cfg_boot_cookie).toMatchObject({ offset: 8, holeBefore: 7, skelPadBefore: 7 });
    expect(byName.cfg_mask128).toMatchObject({ offset: 64, size: 16, skelPadBefore: 4 });
    expect(byName.cfg_version?.cType).not.toBe("");
    expect(l.vars.find((v) => v.name === "private_limit")?.var.skipped).toBe(true);
  });
});

describe("layoutObject", () => {
  it.each(profiles)("every opened corpus object gets one layout per data section with C types (%s)", (profile) => {
    let sections = 0;
    for (const name of corpusObjects()) {
      const obj = tryOpen(name, profile);
      if (!obj) continue;
      const layouts = layoutObject(obj);
      expect(layouts.map((l) => l.section)).toEqual(obj.datasecs.map((d) => d.name));
      for (const l of layouts) {
        sections++;
        if (obj.btf) for (const v of l.vars) expect(v.cType, `${name} ${l.section} ${v.name}`).not.toBe("");
      }
    }
    expect(sections).toBeGreaterThan(20);
  });

  it("libstats: the second `struct entry` is named entry___2 as in the subskeleton", () => {
    const obj = tryOpen("libstats", "7.7");
    if (!obj) throw new Error("libstats must open");
    const bss = layoutObject(obj).find((l) => l.section === ".bss");
    expect(bss?.vars.find((v) => v.name === "recent")?.cType).toBe("struct entry___2[4]");
  });
});
