import { type LogicProblem } from './errors.js';
import { type OperatorRegistry } from './registry.js';
/** Options shared by {@link checkLogic} and {@link compileLogic}. */
export interface LogicPathOptions {
    /** JSON path of the expression itself, prefixed to every reported path (e.g. `rules[3].condition`). */
    path?: string;
}
/**
 * Every problem in an expression, without throwing: unknown operators, wrong argument counts,
 * non-JSON values, objects holding several operations. An empty array means
 * {@link compileLogic} will accept the expression. The rulebook loader uses this to name each
 * bad field at once instead of stopping at the first.
 */
export declare function checkLogic(expr: unknown, registry?: OperatorRegistry, options?: LogicPathOptions): LogicProblem[];
//# sourceMappingURL=check.d.ts.map