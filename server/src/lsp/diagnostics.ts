// Diagnostics for a BPF C source from the state of its object: missing, stale, no BTF, broken, profile limits.

import { type Diagnostic, DiagnosticSeverity } from "vscode-languageserver-protocol";
import { findDeclaration } from "./locations.js";
import { isCIdentifier, type ObjectInfo } from "./model/object-info.js";

export const SOURCE = "btf-lens";

export interface DiagnosticInput {
  /** Source text. */
  text: string;
  /** Object path, or undefined when none was found. */
  object: string | undefined;
  searched: string[];
  info: ObjectInfo | undefined;
  sourceMtimeMs: number | undefined;
  objectMtimeMs: number | undefined;
}

function at(text: string, needle: string | RegExp): Diagnostic["range"] {
  const idx = typeof needle === "string" ? text.indexOf(needle) : (needle.exec(text)?.index ?? -1);
  if (idx < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const before = text.slice(0, idx);
  const line = before.split("\n").length - 1;
  const character = idx - (before.lastIndexOf("\n") + 1);
  const len = typeof needle === "string" ? needle.length : 0;
  return { start: { line, character }, end: { line, character: character + len } };
}

/** The `SEC("name")` that puts something in section `name` (else the first mention of the quoted name). */
function atSection(text: string, name: string): Diagnostic["range"] {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`SEC\\s*\\(\\s*"${esc}"\\s*\\)`).exec(text);
  if (!m) return at(text, `"${name}"`);
  const r = at(text, new RegExp(`SEC\\s*\\(\\s*"${esc}"\\s*\\)`));
  return { start: r.start, end: { line: r.start.line, character: r.start.character + m[0].length } };
}

function diag(range: Diagnostic["range"], severity: DiagnosticSeverity, message: string, code: string): Diagnostic {
  return { range, severity, message, source: SOURCE, code };
}

const TOP = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function sourceDiagnostics(d: DiagnosticInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!d.object) {
    out.push(
      diag(TOP, DiagnosticSeverity.Information, `No BPF object found for this source. Looked in: ${d.searched.join(", ")}. Build it, or set btfLens.objectSearchPaths.`, "no-object"),
    );
    return out;
  }
  const info = d.info;
  if (!info) return out;
  const objName = info.path.slice(info.path.lastIndexOf("/") + 1);
  if (info.error !== undefined && !info.btf) {
    out.push(diag(TOP, DiagnosticSeverity.Error, `Cannot read ${objName}: ${info.error}`, "malformed-object"));
    return out;
  }
  if (info.error !== undefined) {
    out.push(diag(TOP, DiagnosticSeverity.Warning, `${objName}: ${info.error}`, "malformed-object"));
  }
  if (!info.hasBtf) {
    out.push(
      diag(TOP, DiagnosticSeverity.Warning, `${objName} has no BTF (.BTF section): compile with clang -g so that skeletons, hovers and layouts are available.`, "no-btf"),
    );
  }
  if (d.sourceMtimeMs !== undefined && d.objectMtimeMs !== undefined && d.objectMtimeMs < d.sourceMtimeMs) {
    out.push(diag(TOP, DiagnosticSeverity.Warning, `${objName} is older than this source: rebuild it (hovers show the old build).`, "stale-object"));
  }
  if (info.openError !== undefined && info.hasBtf) {
    out.push(
      diag(TOP, DiagnosticSeverity.Warning, `libbpf ${info.profile.libbpfVersion} would refuse to open ${objName}, so bpftool gen skeleton fails: ${info.openError}`, "libbpf-open-error"),
    );
  }
  if (!isCIdentifier(info.name) && info.format === "elf") {
    out.push(
      diag(TOP, DiagnosticSeverity.Warning, `The skeleton name derived from ${objName} ("${info.name}") is not a valid C identifier: pass \`name NAME\` to bpftool gen skeleton.`, "invalid-object-name"),
    );
  }
  const p = info.profile;
  for (const sec of info.datasecs) {
    if (sec.reason) {
      out.push(diag(atSection(d.text, sec.name), DiagnosticSeverity.Warning, `Section ${sec.name}: ${sec.reason}.`, "profile-unsupported"));
    }
  }
  if (!p.structOpsLink && info.elf?.sections.some((s) => s.name === ".struct_ops.link")) {
    out.push(
      diag(atSection(d.text, ".struct_ops.link"), DiagnosticSeverity.Warning, `bpftool ${p.bpftoolVersion} (libbpf ${p.libbpfVersion}) does not support .struct_ops.link sections.`, "profile-unsupported"),
    );
  }
  for (const sec of info.datasecs) {
    if (!sec.ident) continue;
    for (const v of sec.vars) {
      if (v.exposed) continue;
      const pos = findDeclaration(d.text, v.name);
      if (!pos) continue;
      const range = { start: pos, end: { line: pos.line, character: pos.character + v.name.length } };
      out.push(diag(range, DiagnosticSeverity.Information, `${v.name} is not in the skeleton: ${v.reason ?? "unknown reason"}.`, "not-in-skeleton"));
    }
  }
  return out;
}
