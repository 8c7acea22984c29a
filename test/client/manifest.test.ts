// The extension manifest agrees with the client code: commands, menus, settings, activation and untrusted mode.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

interface Manifest {
  main: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations?: string[] } };
  contributes: {
    commands: { command: string; title: string; enablement?: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: { properties: Record<string, { enum?: string[]; default?: unknown }> };
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[] };
  };
}

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as Manifest;
const ignore = readFileSync(".vscodeignore", "utf8");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}
const clientCode = sources("client/src").map((p) => readFileSync(p, "utf8")).join("\n");
const registered = [...clientCode.matchAll(/registerCommand\(\s*"([^"]+)"/g)].map((m) => m[1]!);
const contributed = pkg.contributes.commands.map((c) => c.command);

describe("package.json contributions", () => {
  it("declares every command the client registers, and the client registers every declared command", () => {
    for (const c of registered) expect(contributed, c).toContain(c);
    for (const c of contributed) expect(registered, c).toContain(c);
  });
  it("menus only name declared commands", () => {
    for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
      for (const i of items) expect(contributed, `${menu}: ${i.command}`).toContain(i.command);
    }
  });
  it("offers the test probe only in test mode, with the title the e2e suite runs", () => {
    const probe = pkg.contributes.commands.find((c) => c.command === "btfLens.test.probe");
    expect(probe?.title).toBe("BTF Lens (test): Run Probe");
    expect(pkg.contributes.menus.commandPalette!.find((m) => m.command === "btfLens.test.probe")?.when).toBe("btfLens.testMode");
  });
  it("disables Generate Skeleton in untrusted workspaces (limited support)", () => {
    expect(pkg.capabilities.untrustedWorkspaces.supported).toBe("limited");
    expect(pkg.contributes.commands.find((c) => c.command === "btfLens.generateSkeleton")?.enablement).toBe("isWorkspaceTrusted");
    expect(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations).toContain("btfLens.objectSearchPaths");
  });
  it("has the settings the server reads", () => {
    const props = pkg.contributes.configuration.properties;
    expect(props["btfLens.bpftoolVersion"]?.enum).toEqual(["7.7", "7.1"]);
    expect(props["btfLens.bpftoolVersion"]?.default).toBe("7.7");
    expect(props["btfLens.objectSearchPaths"]?.default).toEqual([]);
    expect(props["btfLens.skeletonOutputDirectory"]?.default).toBe("");
  });
  it("activates on C files and BPF objects only (commands and views activate implicitly)", () => {
    expect(pkg.activationEvents).not.toContain("*");
    expect(pkg.activationEvents.filter((e) => !e.startsWith("onFileSystem:btf-lens-") && e !== "onWebviewPanel:btfLens.layout")).toEqual([
      "onLanguage:c",
      "workspaceContains:**/*.bpf.o",
    ]);
  });
  it("uses codicons for command icons and ships its activity-bar icon", () => {
    for (const c of pkg.contributes.commands) if (c.icon !== undefined) expect(c.icon).toMatch(/^\$\([a-z-]+\)$/);
    for (const v of pkg.contributes.viewsContainers.activitybar) expect(statSync(v.icon).isFile()).toBe(true);
  });
  it("packages only the bundles, grammar, media, README, LICENSE and package.json", () => {
    expect(ignore.split("\n").filter((l) => l && !l.startsWith("#"))).toEqual([
      "**",
      "!dist/*.js",
      "!syntaxes/*.json",
      "!media/**",
      "!README.md",
      "!LICENSE",
      "!package.json",
    ]);
    expect(pkg.main).toBe("./dist/client.js");
  });
});
