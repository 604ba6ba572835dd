import { type Compiled } from './compiled-node.js';
type Specialise = (args: readonly Compiled[]) => Compiled;
/** Fast paths by operator name, for lazy standard operators. */
export declare const LAZY_SPECIALISATIONS: Readonly<Record<string, Specialise>>;
export {};
//# sourceMappingURL=compile-control.d.ts.map