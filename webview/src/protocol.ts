// The layout webview's messages, declared once and imported by the extension host (client) and the webview script.

import type { LayoutNode } from "../../server/src/protocol.js";

export type { LayoutNode };

/** Extension host -> webview. */
export type HostToView =
  /** A new or refreshed layout. The view keeps its scroll position and selection across refreshes. */
  | {
      type: "layout";
      /** Kept in the view's state so that the panel can be restored after a window reload. */
      objectUri: string;
      objectName: string;
      nodes: LayoutNode[];
      cacheLineSize: number;
      /** Parser or request error to show instead of the tables. */
      error?: string;
    }
  /** The object is being (re)parsed. */
  | { type: "loading"; objectName: string }
  /** Select and scroll to a section or a variable (Show Layout on a tree node). */
  | { type: "focus"; section: string; name?: string };

/** Webview -> extension host. */
export type ViewToHost =
  /** The script has loaded and listens: the host (re)sends the layout. */
  | { type: "ready" }
  /** Go to the source of a layout node (the host looks the node up in the layout it sent; the view sends only the id). */
  | { type: "open"; nodeId: number };

/** State the webview keeps with `vscode.setState` (survives hiding the panel and refreshes). */
export interface ViewState {
  /** The object shown (for the panel serializer). */
  objectUri?: string;
  /** Selection key (see `rowKey`). */
  selected?: string;
  scrollX: number;
  scrollY: number;
}

/** Validates a message from the webview before the host acts on it. */
export function parseViewMessage(m: unknown): ViewToHost | undefined {
  if (typeof m !== "object" || m === null) return undefined;
  const r = m as Record<string, unknown>;
  if (r.type === "ready") return { type: "ready" };
  if (r.type === "open" && typeof r.nodeId === "number" && Number.isSafeInteger(r.nodeId)) {
    return { type: "open", nodeId: r.nodeId };
  }
  return undefined;
}
