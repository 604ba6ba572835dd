import { checkLogic, compileLogic, truthy, type OperatorRegistry } from '../logic/index.js';
import type { KnowledgeTable } from '../knowledge/table.js';
import { domainOperators } from './operators.js';

/** A JsonLogic condition compiled to a closure: true = violation. */
export type CompiledCondition = (data: unknown, env: unknown) => boolean;

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
    return (data, env) => truthy(fn(data, env));
  } catch (e) {
    problem('', (e as Error).message);
    return undefined;
  }
}
