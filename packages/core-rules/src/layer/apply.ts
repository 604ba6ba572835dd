import type { CheckData } from '../model/request.js';
import type { EvaluationResult } from '../model/result.js';
import type { CompiledLayer, LayeredEvaluation, LayerEvaluateOptions } from './types.js';

/**
 * Evaluates a request with a layer: the layered rulebook in force at `options.now`, then the
 * exemptions split the findings into shown (`result`) and `suppressed`.
 */
export function evaluateWithLayer(layer: CompiledLayer, data: CheckData, options: LayerEvaluateOptions): LayeredEvaluation {
  void layer;
  void data;
  void options;
  throw new Error('not implemented');
}

/**
 * Applies a layer's exemptions to an evaluation made with `withSources: true` (on
 * `layer.rulebookAt(now)`): splits the findings into shown and suppressed.
 */
export function applyExemptions(layer: CompiledLayer, out: EvaluationResult, options: Pick<LayerEvaluateOptions, 'now' | 'usage' | 'patientKey' | 'withSources'>): LayeredEvaluation {
  void layer;
  void out;
  void options;
  throw new Error('not implemented');
}
