// The scenarios in the order they run (they share one workbench; each leaves it usable for the next).
import demo from "./demo.mjs";
import hostile from "./hostile.mjs";
import hover from "./hover.mjs";
import layout from "./layout.mjs";
import profile from "./profile.mjs";
import rebuild from "./rebuild.mjs";
import skeleton from "./skeleton.mjs";
import tree from "./tree.mjs";
import workbench from "./workbench.mjs";

export const scenarios = [...workbench, ...hover, ...tree, ...skeleton, ...rebuild, ...layout, ...hostile, ...profile, ...demo];
