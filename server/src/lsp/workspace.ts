// The server's state without a connection: settings, object cache, source -> object mapping and request handlers.

import type { Location } from "vscode-languageserver-protocol";
import { DEFAULT_PROFILE, PROFILES, type Profile, isProfileName } from "../core/profile.js";
import type * as P from "../protocol.js";
import { ObjectCache, type ObjectCacheOptions } from "./cache.js";
import { type Discovery, ObjectIndex, isBpfSource, servesSource } from "./discovery.js";
import { type FileAccessor, paths } from "./files.js";
import { type Word, hoverMarkdown, wordAt } from "./hover.js";
import { findDeclaration, findFunctionAbove, resolveSourceFile, srcLocation } from "./locations.js";
import { CTypes, typeAt } from "./model/ctype.js";
import type { ObjectInfo } from "./model/object-info.js";
import { generateSkeletonText } from "./skeleton.js";
import { pathToUri } from "./uri.js";
import { CACHE_LINE, type Locate, datasecNodes, filterTypes, layoutNodes, mapNodes, namedTypes, programGroups, summary } from "./views.js";

export interface SourceState {
  discovery: Discovery;
  isBpf: boolean;
}

export class Workspace {
  readonly cache: ObjectCache;
  readonly index: ObjectIndex;
  settings: P.BtfLensSettings = { bpftoolVersion: DEFAULT_PROFILE, objectSearchPaths: [] };
  /** Source path -> discovery result (cleared when objects appear or disappear). */
  private readonly sources = new Map<string, SourceState>();
  /** Files opened by path (OpenFile). */
  readonly opened = new Set<string>();
  private readonly ctypes = new WeakMap<object, CTypes>();
  /** Hover markdown per parsed object and word (hovers are pure functions of both). */
  private readonly hovers = new WeakMap<ObjectInfo, Map<string, string | undefined>>();

  constructor(
    readonly fs: FileAccessor,
    roots: string[] = [],
    cacheOptions: ObjectCacheOptions = {},
  ) {
    this.cache = new ObjectCache(fs, cacheOptions);
    this.index = new ObjectIndex(fs, this.cache);
    this.index.roots = roots;
  }

  get profile(): Profile {
    return PROFILES[this.settings.bpftoolVersion] ?? PROFILES[DEFAULT_PROFILE];
  }

  profileFor(name: P.ProfileName | undefined): Profile {
    return name !== undefined && isProfileName(name) ? PROFILES[name] : this.profile;
  }

  updateSettings(s: Partial<P.BtfLensSettings> | undefined): void {
    const v = s?.bpftoolVersion;
    this.settings = {
      bpftoolVersion: typeof v === "string" && isProfileName(v) ? v : DEFAULT_PROFILE,
      objectSearchPaths: Array.isArray(s?.objectSearchPaths) ? s.objectSearchPaths.filter((x) => typeof x === "string") : [],
    };
    this.index.searchPaths = this.settings.objectSearchPaths;
    this.sources.clear();
  }

  setRoots(roots: string[]): void {
    this.index.roots = roots;
    this.index.invalidateScan();
    this.sources.clear();
  }

  ctypesFor(info: ObjectInfo): CTypes | undefined {
    if (!info.btf) return undefined;
    let c = this.ctypes.get(info.btf);
    if (!c || c.profile !== info.profile) {
      c = new CTypes(info.btf, info.profile);
      this.ctypes.set(info.btf, c);
    }
    return c;
  }

  async readText(path: string): Promise<string | undefined> {
    try {
      return new TextDecoder().decode(await this.fs.readFile(path));
    } catch {
      return undefined;
    }
  }

  /** Which object `source` uses (memoised until objects change). */
  async sourceState(source: string, text: string | undefined): Promise<SourceState> {
    const hit = this.sources.get(source);
    if (hit) return hit;
    const isBpf = isBpfSource(source, text);
    const discovery: Discovery = isBpf ? await this.index.find(source, this.profile) : { object: undefined, origin: undefined, searched: [] };
    const st = { discovery, isBpf };
    this.sources.set(source, st);
    return st;
  }

  knownSources(): string[] {
    return [...this.sources.entries()].filter(([, s]) => s.isBpf).map(([p]) => p);
  }

  /** Re-decide a source whose text may have become BPF C (a SEC( or bpf_helpers.h include was typed). */
  sourceEdited(source: string, text: string): void {
    const st = this.sources.get(source);
    if (st && !st.isBpf && isBpfSource(source, text)) this.sources.delete(source);
  }

  /** Forget source -> object decisions (objects created/deleted, settings changed). */
  resetSources(): void {
    this.sources.clear();
  }

  async load(objectPath: string, profile = this.profile): Promise<{ info: ObjectInfo; mtimeMs: number; size: number } | undefined> {
    return this.cache.get(objectPath, profile);
  }

  async objectForSource(source: string, text: string | undefined): Promise<P.ObjectForSource.Result> {
    const st = await this.sourceState(source, text);
    const r: P.ObjectForSource.Result = { isBpfSource: st.isBpf, searched: st.discovery.searched };
    if (st.discovery.object) {
      r.object = pathToUri(st.discovery.object);
      const loaded = await this.load(st.discovery.object);
      if (loaded) r.name = loaded.info.name;
    }
    if (st.discovery.origin) r.origin = st.discovery.origin;
    return r;
  }

  async hover(source: string, text: string, offset: number): Promise<{ markdown: string; word: Word } | undefined> {
    const w = wordAt(text, offset);
    if (!w) return undefined;
    const st = await this.sourceState(source, text);
    if (!st.discovery.object) return undefined;
    const loaded = await this.load(st.discovery.object);
    if (!loaded) return undefined;
    const c = this.ctypesFor(loaded.info);
    if (!c) return undefined;
    let memo = this.hovers.get(loaded.info);
    if (!memo) this.hovers.set(loaded.info, (memo = new Map()));
    const key = `${w.before ?? ""} ${w.word}`;
    let markdown: string | undefined;
    if (memo.has(key)) markdown = memo.get(key);
    else {
      markdown = hoverMarkdown(loaded.info, c, w);
      if (memo.size > 5000) memo.clear();
      memo.set(key, markdown);
    }
    return markdown === undefined ? undefined : { markdown, word: w };
  }

  /** Sources served by an object: discovered mappings plus line_info files that exist. */
  async sourcesOf(info: ObjectInfo): Promise<string[]> {
    const out = new Set<string>();
    for (const [src, st] of this.sources) if (st.discovery.object === info.path) out.add(src);
    for (const f of info.lineInfoFiles) {
      if (f.endsWith(".h")) continue;
      const p = await resolveSourceFile(this.fs, f, this.knownSources(), this.index.roots, info.path);
      if (p) out.add(p);
    }
    return [...out].sort();
  }

  async allObjects(): Promise<string[]> {
    const set = new Set(await this.index.workspaceObjects());
    for (const o of this.opened) set.add(o);
    for (const st of this.sources.values()) if (st.discovery.object) set.add(st.discovery.object);
    return [...set].sort();
  }

  async summaryOf(path: string): Promise<P.ObjectSummary | undefined> {
    const loaded = await this.load(path);
    if (!loaded) return undefined;
    const sources = (await this.sourcesOf(loaded.info)).map(pathToUri);
    return summary(loaded.info, pathToUri(path), sources, loaded.mtimeMs, loaded.size);
  }

  async objects(): Promise<P.Objects.Result> {
    const objects: P.ObjectSummary[] = [];
    for (const p of await this.allObjects()) {
      const loaded = await this.load(p);
      // User-space objects (x86 .o files next to BPF ones) are not listed unless opened by hand.
      if (!loaded || (!loaded.info.isBpf && !this.opened.has(p))) continue;
      const s = await this.summaryOf(p);
      if (s) objects.push(s);
    }
    return { objects };
  }

  /** A locator for programs (line_info), maps and variables (declarations in the served sources). */
  private async locator(info: ObjectInfo): Promise<Locate> {
    const srcs = await this.sourcesOf(info);
    const texts: [string, string][] = [];
    for (const s of srcs) {
      const t = await this.readText(s);
      if (t !== undefined) texts.push([s, t]);
    }
    const progLocs = new Map<string, Location>();
    for (const p of info.programs) {
      if (!p.loc) continue;
      const file = await resolveSourceFile(this.fs, p.loc.file, srcs, this.index.roots, info.path);
      if (!file) continue;
      // line_info of the first instruction is the first statement; the definition is a few lines up.
      const text = texts.find(([s]) => s === file)?.[1] ?? (await this.readText(file));
      const def = text === undefined ? undefined : findFunctionAbove(text, p.name, p.loc.line - 1);
      progLocs.set(p.name, def ? { uri: pathToUri(file), range: { start: def, end: { line: def.line, character: def.character + p.name.length } } } : srcLocation(file, p.loc));
    }
    return (kind, name) => {
      if (kind === "prog" && progLocs.has(name)) return progLocs.get(name);
      for (const [s, t] of texts) {
        const pos = findDeclaration(t, name);
        if (pos) return { uri: pathToUri(s), range: { start: pos, end: { line: pos.line, character: pos.character + name.length } } };
      }
      return undefined;
    };
  }

  async tree(path: string, profileName?: P.ProfileName): Promise<P.ObjectTree.Result | undefined> {
    const loaded = await this.load(path, this.profileFor(profileName));
    if (!loaded) return undefined;
    const info = loaded.info;
    const object = summary(info, pathToUri(path), (await this.sourcesOf(info)).map(pathToUri), loaded.mtimeMs, loaded.size);
    const locate = await this.locator(info);
    const c = this.ctypesFor(info);
    const r: P.ObjectTree.Result = {
      object,
      programs: programGroups(info, locate),
      maps: mapNodes(info, c, locate),
      datasecs: datasecNodes(info, c, locate),
    };
    if (info.error !== undefined) r.error = info.error;
    return r;
  }

  async layout(path: string, profileName?: P.ProfileName, section?: string): Promise<P.Layout.Result | undefined> {
    const loaded = await this.load(path, this.profileFor(profileName));
    if (!loaded) return undefined;
    const locate = await this.locator(loaded.info);
    const r: P.Layout.Result = { nodes: layoutNodes(loaded.info, this.ctypesFor(loaded.info), locate, section), cacheLineSize: CACHE_LINE };
    if (loaded.info.error !== undefined) r.error = loaded.info.error;
    return r;
  }

  async skeleton(path: string, params: P.Skeleton.Params): Promise<P.Skeleton.Result | undefined> {
    return generateSkeletonText(this.fs, path, params, this.profileFor(params.profile));
  }

  async types(path: string, kinds?: P.TypeKindName[], query?: string, limit?: number): Promise<P.Types.Result | undefined> {
    const loaded = await this.load(path);
    if (!loaded) return undefined;
    const all = filterTypes(namedTypes(loaded.info), kinds, query);
    const types = limit !== undefined && limit >= 0 ? all.slice(0, limit) : all;
    const r: P.Types.Result = { types, total: all.length };
    if (loaded.info.error !== undefined) r.error = loaded.info.error;
    return r;
  }

  async typeDefinition(path: string, id: number, profileName?: P.ProfileName): Promise<P.TypeDefinition.Result | undefined> {
    const loaded = await this.load(path, this.profileFor(profileName));
    if (!loaded) return undefined;
    const t = loaded.info.btf ? typeAt(loaded.info.btf, id) : undefined;
    const c = this.ctypesFor(loaded.info);
    if (!t || !c) return { id, name: "", kind: "int", text: "", error: `no type with id ${id}` };
    let text: string;
    try {
      text = c.definition(id);
    } catch (e) {
      return { id, name: t.name, kind: t.kind as P.TypeKindName, text: "", error: (e as Error).message };
    }
    return { id, name: t.name, kind: t.kind as P.TypeKindName, text: text.endsWith("\n") ? text : `${text}\n` };
  }

  async openFile(path: string): Promise<P.ObjectSummary | undefined> {
    const p = paths.normalize(path);
    const st = await this.fs.stat(p);
    if (!st?.isFile) return undefined;
    this.opened.add(p);
    return this.summaryOf(p);
  }

  /** Sources whose object is `objectPath` (for re-publishing diagnostics). */
  sourcesUsing(objectPath: string): string[] {
    return [...this.sources.entries()].filter(([, s]) => s.discovery.object === objectPath).map(([p]) => p);
  }

  /** Whether `source` may be served by `info` (line_info), used after a new object appears. */
  serves(info: ObjectInfo, source: string): boolean {
    return servesSource(info, source);
  }
}
