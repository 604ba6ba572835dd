import { joinIndex, joinKey, type LogicProblem } from './errors.js';
import { argPath, operationOf, problemAt } from './node.js';
import { DEFAULT_REGISTRY, type OperatorRegistry } from './registry.js';

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
export function checkLogic(expr: unknown, registry: OperatorRegistry = DEFAULT_REGISTRY, options: LogicPathOptions = {}): LogicProblem[] {
  const problems: LogicProblem[] = [];
  walk(expr, options.path ?? '', registry, problems);
  return problems;
}

function walk(value: unknown, path: string, registry: OperatorRegistry, problems: LogicProblem[]): void {
  const problem = problemAt(value, path, registry);
  if (problem !== undefined) problems.push(problem);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walk(value[i], joinIndex(path, i), registry, problems);
    return;
  }
  const operation = operationOf(value);
  if (operation === undefined) return;
  // Arguments of an unknown operator are still checked: report every bad field in one pass.
  const opPath = joinKey(path, operation.op);
  for (let i = 0; i < operation.args.length; i++) {
    walk(operation.args[i], argPath(opPath, i, operation.wrapped), registry, problems);
  }
}
