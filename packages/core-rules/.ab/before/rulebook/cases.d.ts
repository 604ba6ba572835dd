import type { RuleCase } from './types.js';
import type { CompiledRulebook } from '../evaluate/compile.js';
/** Outcome of running test cases. */
export interface CaseReport {
    passed: number;
    failed: number;
    failures: Array<{
        name: string;
        message: string;
    }>;
}
/** Judges one case; returns what is wrong, or undefined when it passes. */
export declare function judgeCase(rb: CompiledRulebook, c: RuleCase): string | undefined;
/** Runs test cases (default: the rulebook's own) and reports each failure by case name. */
export declare function runCases(rb: CompiledRulebook, cases?: RuleCase[]): CaseReport;
//# sourceMappingURL=cases.d.ts.map