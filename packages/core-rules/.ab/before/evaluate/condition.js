import { chargeSteps, checkLogic, compileLogic, truthy, useStepMeter } from '../logic/index.js';
import { domainOperators } from './operators.js';
const registries = new WeakMap();
/** Compiles a rule's condition with the domain operators bound to the rulebook's tables. */
export function compileCondition(expr, tables, problem) {
    let registry = registries.get(tables);
    if (!registry)
        registries.set(tables, (registry = domainOperators(tables)));
    const issues = checkLogic(expr, registry);
    if (issues.length > 0) {
        for (const i of issues)
            problem(i.path, i.message);
        return undefined;
    }
    try {
        const fn = compileLogic(expr, registry);
        return (data, env, meter) => {
            const previous = useStepMeter(meter);
            try {
                chargeSteps(1);
                return truthy(fn(data, env));
            }
            finally {
                useStepMeter(previous);
            }
        };
    }
    catch (e) {
        problem('', e.message);
        return undefined;
    }
}
//# sourceMappingURL=condition.js.map