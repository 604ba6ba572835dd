import { OperatorRegistry } from '../logic/index.js';
import type { KnowledgeTable } from '../knowledge/table.js';
import type { EncounterFact, OrderFact, PatientFact } from './facts.js';
/** What a condition's custom operators see of the request (passed as the logic `env`). */
export interface ConditionEnv {
    patient: PatientFact;
    encounter: EncounterFact;
    order?: OrderFact;
    nowMs: number;
}
/**
 * The standard JsonLogic operators plus the domain operators a bureau writes rules with:
 * age_at, days_between, in_table, table_value, count_orders, has_diagnosis, starts_with.
 */
export declare function domainOperators(tables: ReadonlyMap<string, KnowledgeTable>): OperatorRegistry;
//# sourceMappingURL=operators.d.ts.map