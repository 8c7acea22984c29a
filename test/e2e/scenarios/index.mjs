// The scenarios in the order they run (they share one workbench; each leaves it usable for the next).
import hover from "./hover.mjs";
import layout from "./layout.mjs";
import skeleton from "./skeleton.mjs";
import tree from "./tree.mjs";
import workbench from "./workbench.mjs";

export const scenarios = [...workbench, ...hover, ...tree, ...skeleton, ...layout];
