import type { LayerDiff } from './types.js';

/** The changes from layer file `a` to layer file `b`, in Chinese (新增/删除/修改 by section). */
export function diffLayers(a: unknown, b: unknown): LayerDiff {
  void a;
  void b;
  throw new Error('not implemented');
}
