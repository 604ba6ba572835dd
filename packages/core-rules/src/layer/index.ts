/** The hospital's layer (issue 13): see ./types.ts and /README.md#the-hospitals-layer. */
export * from './types.js';
export { compileLayer, layerConflicts } from './compile.js';
export { evaluateWithLayer, applyExemptions } from './apply.js';
export { diffLayers } from './diff.js';
export { runLayerCases } from './cases.js';
