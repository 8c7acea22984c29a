// The client's escaping of untrusted names: the core's, so tree, hover, diagnostics and webview show names alike.

export { label, mdCode, mdCodeBlock, mdText, truncate, visible } from "../../server/src/core/text/escape.js";
