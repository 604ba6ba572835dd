import { type Compiled } from './compiled-node.js';
type Specialise = (args: readonly Compiled[]) => Compiled | undefined;
/** Fast paths by operator name, for eager standard operators. */
export declare const EAGER_SPECIALISATIONS: Readonly<Record<string, Specialise>>;
export {};
//# sourceMappingURL=compile-standard.d.ts.map