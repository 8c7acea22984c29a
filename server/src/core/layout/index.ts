// Public surface of the data-section layout model.

export * from "./datasec-layout.js";
export * from "./object-layout.js";
