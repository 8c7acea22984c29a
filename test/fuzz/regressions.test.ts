// Replays every fuzz finding in test/fixtures/regressions through the whole pipeline (both profiles, all stages).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runPipeline } from "./pipeline.js";

const DIR = join(__dirname, "..", "fixtures", "regressions");

interface Entry {
  readonly found: string;
  readonly problem: string;
  readonly where: string;
  /** Still unfixed: the test then expects the failure (and turns red once the bug is fixed). */
  readonly open?: boolean;
}

const index = JSON.parse(readFileSync(join(DIR, "index.json"), "utf8")) as Record<string, Entry>;

function read(file: string): Uint8Array {
  const raw = readFileSync(join(DIR, file));
  return new Uint8Array(file.endsWith(".gz") ? gunzipSync(raw) : raw);
}

describe("fuzz regressions: only BtfLensError escapes", () => {
  it.each(Object.keys(index))("%s", (file) => {
    const entry = index[file] as Entry;
    const check = (): void => {
      const o = runPipeline(read(file), { deep: true, checkDeterminism: true });
      expect(o.finding, `${entry.problem}\n${o.finding?.message ?? ""}\n${o.finding?.stack ?? ""}`).toBeUndefined();
    };
    if (entry.open) expect(check, `fixed? remove "open" for ${file} in index.json`).toThrow();
    else check();
  });
});
