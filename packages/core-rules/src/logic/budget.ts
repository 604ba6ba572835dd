/**
 * A deterministic evaluation budget: steps, not wall-clock time, so the same rule on the same
 * request always stops at the same point. JsonLogic has no loops of its own, so an expression
 * costs its size times the elements it walks; what is charged is therefore what grows with the
 * data or with the evaluation itself: each element map/filter/reduce/all/none/some visit, the
 * elements merge builds, the characters cat builds, the haystack `in` searches, the keys
 * `missing` looks up, and whatever custom operators charge for their own loops
 * ({@link chargeSteps}).
 *
 * The meter in force is module state: evaluation is synchronous, and the caller installs a meter
 * around one call ({@link useStepMeter}) and restores the previous one after it. Without a meter
 * nothing is ever refused.
 */

/** Steps left for the evaluations that run with it. */
export interface StepMeter {
  /** Steps still allowed; below 0 once the budget is spent (it stays spent). */
  left: number;
  /** The budget it started with. */
  readonly budget: number;
}

/** Thrown when an evaluation spends more steps than its meter allows. */
export class LogicBudgetError extends Error {
  /** The budget that was exceeded. */
  readonly budget: number;

  constructor(budget: number) {
    super(`condition exceeded its budget of ${budget} steps (a loop or a collection grows too large)`);
    this.name = 'LogicBudgetError';
    this.budget = budget;
  }
}

const UNMETERED: StepMeter = Object.freeze({ left: Infinity, budget: Infinity });
let current: StepMeter = UNMETERED;

/** A fresh meter allowing `budget` steps. */
export function stepMeter(budget: number): StepMeter {
  return { left: budget, budget };
}

/**
 * Installs `meter` (none: unmetered) for the evaluations that follow and returns the meter it
 * replaces, to be put back (in a `finally`) when the call is over.
 */
export function useStepMeter(meter: StepMeter | undefined): StepMeter {
  const previous = current;
  current = meter ?? UNMETERED;
  return previous;
}

/**
 * Charges `n` steps to the meter in force. Call it before allocating what the steps pay for.
 * @throws LogicBudgetError when the meter is spent.
 */
export function chargeSteps(n: number): void {
  const m = current;
  if (m === UNMETERED) return;
  if ((m.left -= n) < 0) throw new LogicBudgetError(m.budget);
}
