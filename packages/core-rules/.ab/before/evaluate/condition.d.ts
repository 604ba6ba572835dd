import { type StepMeter } from '../logic/index.js';
import type { KnowledgeTable } from '../knowledge/table.js';
/**
 * A JsonLogic condition compiled to a closure: true = violation. With a meter, the call costs
 * one step plus what it walks and builds, and throws LogicBudgetError once the meter is spent.
 */
export type CompiledCondition = (data: unknown, env: unknown, meter?: StepMeter) => boolean;
/** Compiles a rule's condition with the domain operators bound to the rulebook's tables. */
export declare function compileCondition(expr: unknown, tables: ReadonlyMap<string, KnowledgeTable>, problem: (field: string, message: string) => void): CompiledCondition | undefined;
//# sourceMappingURL=condition.d.ts.map