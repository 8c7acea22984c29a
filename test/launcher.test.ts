// The `btf-lens` launcher (bin/btf-lens, what npm links onto PATH): same output and exit codes as the bundle, no CA loading.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "./helpers/cli";

const ROOT = join(__dirname, "..");
const OBJ = join(ROOT, "test/fixtures/corpus/obj/4tuple_acct.bpf.o");
const GOLDEN = join(ROOT, "test/fixtures/corpus/golden/bpftool-v7.7.0/4tuple_acct.skel.h");

// npm puts a symlink to the launcher in node_modules/.bin: run it the same way, from elsewhere.
const linkDir = mkdtempSync(join(tmpdir(), "btf-lens-bin-"));
const LINK = join(linkDir, "btf-lens");
symlinkSync(join(ROOT, "bin/btf-lens"), LINK);

// A certificate bundle that does not exist: Node warns on stderr when it tries to load it.
const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(linkDir, "no-such-bundle.pem") };

describe("bin/btf-lens", () => {
  it("prints what bpftool prints, through a symlink", () => {
    const r = spawnSync(LINK, ["gen", "skeleton", OBJ], { encoding: "utf8", env });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(GOLDEN, "utf8"));
  });

  it("passes arguments and bpftool's exit code through on failure", () => {
    const r = spawnSync(LINK, ["btf", "dump", "file", join(linkDir, "missing.o")], { encoding: "utf8", env });
    expect(r.status).toBe(254);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^Error: failed to load BTF from .*missing\.o: No such file or directory\n$/);
  });

  it("keeps Node from loading NODE_EXTRA_CA_CERTS", () => {
    // Without the launcher, Node reads the bundle at start-up (and warns that it is missing) ...
    const direct = spawnSync(process.execPath, [CLI, "--version"], { encoding: "utf8", env });
    expect(direct.stderr).toContain("extra certs");
    // ... with it, the variable is gone before Node starts.
    const launched = spawnSync(LINK, ["--version"], { encoding: "utf8", env });
    expect(launched.status).toBe(0);
    expect(launched.stderr).toBe("");
    expect(launched.stdout).toBe(direct.stdout);
  });
});
