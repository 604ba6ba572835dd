import type { CompiledRulebook } from '../evaluate/code-index.js';
import type { CompiledLayer, LayerCaseReport } from './types.js';

/** Runs the layer's own cases and the national cases (base.cases) that name an overridden rule. */
export function runLayerCases(base: CompiledRulebook, layer: CompiledLayer): LayerCaseReport {
  void base;
  void layer;
  throw new Error('not implemented');
}
