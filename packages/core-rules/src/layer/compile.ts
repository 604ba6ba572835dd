import type { CompiledRulebook } from '../evaluate/code-index.js';
import type { LayerCompileResult, LayerConflict } from './types.js';

/**
 * Compiles a layer file (parsed JSON or its text) against a compiled base rulebook: validates
 * every field, compiles local rules and every override with the rulebook compiler. Never throws;
 * every problem names its field path (overrides[3].params.max_age …).
 */
export function compileLayer(base: CompiledRulebook, layer: unknown): LayerCompileResult {
  void base;
  void layer;
  throw new Error('not implemented');
}

/**
 * What a layer's activation on `base` must report (works on the raw file, compiled or not):
 * overrides of rules the base no longer has, overrides whose base params changed since they were
 * written, local ids colliding with national ones, exemptions naming unknown rules.
 */
export function layerConflicts(base: CompiledRulebook, layer: unknown): LayerConflict[] {
  void base;
  void layer;
  throw new Error('not implemented');
}
