// The scenarios in the order they run (they share one workbench; each leaves it usable for the next).
import workbench from "./workbench.mjs";

export const scenarios = [...workbench];
