// Named types per object, fetched once and cached until the object changes (shared by the explorer and Find Type).

import type * as vscode from "vscode";
import { type TypeEntry, Types } from "../../server/src/protocol.js";
import { canonicalUri, type FeatureContext, withParseProgress } from "./context.js";
import { baseName } from "./object-pick.js";

export class TypeIndex implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<TypeEntry[]>>();
  private readonly subs: vscode.Disposable[];

  constructor(private readonly ctx: FeatureContext) {
    this.subs = [
      ctx.events.onObjectChanged((e) => this.cache.delete(canonicalUri(e.uri))),
      ctx.events.onObjectsChanged(() => this.cache.clear()),
    ];
  }

  /** All named types of an object (server default kinds), sorted by name then id. */
  types(uri: string): Promise<TypeEntry[]> {
    const key = canonicalUri(uri);
    let p = this.cache.get(key);
    if (p === undefined) {
      const started = Date.now();
      p = withParseProgress(`types of ${baseName(uri)}`, (token) =>
        this.ctx.client.sendRequest(Types.type, { uri }, token),
      ).then((r) => {
        if (r.error !== undefined) throw new Error(r.error);
        this.ctx.log.info(`${r.types.length} types of ${uri} in ${Date.now() - started} ms`);
        return r.types;
      });
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
    }
    return p;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
