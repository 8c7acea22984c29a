// Layout webview entry: receives layouts from the extension host, renders them, keeps scroll and selection.

import { buildSections, findFocusKey, type SectionView } from "./model.js";
import type { HostToView, ViewState, ViewToHost } from "./protocol.js";
import { applySelection, renderError, renderLayout, renderLoading } from "./render.js";
import { registerComponents } from "./toolkit.js";

interface VsCodeApi {
  postMessage(message: ViewToHost): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById("root") ?? document.body;
let state: ViewState = vscode.getState() ?? { scrollX: 0, scrollY: 0 };
let sections: SectionView[] = [];

function save(): void {
  vscode.setState(state);
}

function select(key: string | undefined, scroll: boolean): void {
  if (key === undefined) delete state.selected;
  else state.selected = key;
  save();
  const row = applySelection(root, key);
  if (scroll) row?.scrollIntoView({ block: "nearest" });
}

function onMessage(m: HostToView): void {
  switch (m.type) {
    case "loading":
      if (sections.length === 0) renderLoading(root, m.objectName);
      return;
    case "layout": {
      const { scrollX, scrollY } = state;
      state.objectUri = m.objectUri;
      save();
      if (m.error !== undefined) {
        sections = [];
        renderError(root, m.objectName, m.error);
        return;
      }
      sections = buildSections(m.nodes, m.cacheLineSize);
      renderLayout(root, m.objectName, sections, m.cacheLineSize, {
        activate(key, nodeId) {
          select(key, false);
          if (nodeId !== undefined) vscode.postMessage({ type: "open", nodeId });
        },
      });
      // Keep the place and the selection across refreshes.
      select(state.selected, false);
      window.scrollTo(scrollX, scrollY);
      return;
    }
    case "focus":
      select(findFocusKey(sections, m.section, m.name), true);
      return;
    default:
      m satisfies never;
  }
}

let scrollTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener("scroll", () => {
  clearTimeout(scrollTimer);
  scrollTimer = setTimeout(() => {
    state = { ...state, scrollX: window.scrollX, scrollY: window.scrollY };
    save();
  }, 100);
});
window.addEventListener("message", (e: MessageEvent<HostToView>) => onMessage(e.data));

registerComponents();
vscode.postMessage({ type: "ready" });
