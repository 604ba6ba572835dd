import { chargeSteps, checkLogic, compileLogic, truthy, useStepMeter, type OperatorRegistry, type StepMeter } from '../logic/index.js';
import type { KnowledgeTable } from '../knowledge/types.js';
import { domainOperators } from './operators.js';

/**
 * A JsonLogic condition compiled to a closure: true = violation. With a meter, the call costs
 * one step plus what it walks and builds, and throws LogicBudgetError once the meter is spent.
 */
export type CompiledCondition = (data: unknown, env: unknown, meter?: StepMeter) => boolean;

const registries = new WeakMap<ReadonlyMap<string, KnowledgeTable>, OperatorRegistry>();

/** Compiles a rule's condition with the domain operators bound to the rulebook's tables. */
export function compileCondition(expr: unknown, tables: ReadonlyMap<string, KnowledgeTable>, problem: (field: string, message: string) => void): CompiledCondition | undefined {
  let registry = registries.get(tables);
  if (!registry) registries.set(tables, (registry = domainOperators(tables)));
  const issues = checkLogic(expr, registry);
  if (issues.length > 0) {
    for (const i of issues) problem(i.path, i.message);
    return undefined;
  }
  try {
    const fn = compileLogic(expr, registry);
    return (data, env, meter) => {
      const previous = useStepMeter(meter);
      try {
        chargeSteps(1);
        return truthy(fn(data, env));
      } finally {
        useStepMeter(previous);
      }
    };
  } catch (e) {
    problem('', (e as Error).message);
    return undefined;
  }
}
