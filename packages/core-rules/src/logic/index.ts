/**
 * JsonLogic for preaudit's condition rules, with no runtime dependency.
 *
 * - {@link OperatorRegistry}: the explicit set of operators an expression may use.
 *   `OperatorRegistry.standard()` holds every json-logic-js 2.0.5 operator with its exact
 *   semantics; the rules engine clones it and registers its domain operators (`age_at`,
 *   `in_table`, …). Eager operators get `(args, data, env)`; lazy ones get one
 *   {@link Evaluator} per argument and choose what to evaluate (see `registry.ts`).
 * - {@link compileLogic}: compile once into closures (constants folded, literal lists frozen,
 *   `in` over a literal list a Set), then call `(data, env)` per evaluation. Bad expressions
 *   fail here with a {@link LogicError} that carries the JSON path.
 * - {@link applyLogic}: the reference interpreter, walking the JSON each call. A conformance
 *   suite and a differential test demand the same answers from both paths and json-logic-js.
 * - {@link checkLogic}: every problem in an expression, without throwing (for the rulebook
 *   loader).
 * - {@link truthy}: JsonLogic truthiness (`[]` falsy, `"0"` truthy).
 * - {@link literalSet}: a cached membership Set for constant list arguments of custom operators.
 * - {@link useStepMeter} / {@link chargeSteps}: a deterministic step budget for an evaluation
 *   (elements walked, collections and strings built); past it a {@link LogicBudgetError}.
 *
 * Where json-logic-js and this module differ, on purpose: unknown operators and argument-count
 * errors are reported at compile time even in branches never taken; keys given to `missing`
 * that look like logic (which can only come from data) are not executed; constant results are
 * deep-frozen and shared; arrays are taken as dense; `log` prints nothing.
 */
export { chargeSteps, LogicBudgetError, stepMeter, useStepMeter, type StepMeter } from './budget.js';
export { checkLogic } from './check.js';
export { compileLogic } from './compile-logic.js';
export { literalSet } from './constants.js';
export { LogicError } from './errors.js';
export { applyLogic } from './interpret.js';
export { OperatorRegistry, type Evaluator } from './registry.js';
export { truthy } from './truthy.js';
