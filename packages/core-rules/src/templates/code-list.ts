import { basePoint, type PointBase, type Problem, type TemplateDef, type Vars, readText } from './template.js';
import { isSelfPaid } from './prescription.js';

/** Encounter field → the values that put an encounter in the rule's scope. */
type FieldValues = ReadonlyArray<readonly [string, ReadonlySet<string>]>;

interface CodeListParams {
  /** When given, the rule fires only in encounters where one of these fields has one of its values. */
  encounterFields?: FieldValues;
  /** Label of that scope for messages (e.g. 互联网诊疗). */
  scopeLabel: string;
  /** 不予支付 rules: an order the patient pays in full (ownpay_amt ≥ its amount) is not billed to the fund. */
  skipSelfPaid: boolean;
}

function compileFields(v: unknown, problem: Problem): FieldValues | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    problem('encounter_fields', 'must be an object: encounter field → list of values');
    return undefined;
  }
  const out: Array<[string, Set<string>]> = [];
  for (const [field, values] of Object.entries(v as Record<string, unknown>)) {
    if (!/^[a-z][a-z0-9_]*$/.test(field)) {
      problem(`encounter_fields.${field}`, 'must be a national encounter field name (snake_case)');
      continue;
    }
    if (!Array.isArray(values) || values.some((x) => typeof x !== 'string' || x === '')) {
      problem(`encounter_fields.${field}`, 'must be a list of non-empty strings');
      continue;
    }
    if (values.length > 0) out.push([field, new Set(values as string[])]);
  }
  return out;
}

/**
 * 目录内不予支付 / 限定场景不予支付: any current order of the point's codes offends (中药饮片单复方均不予
 * 支付); with `encounter_fields`, only in encounters marked by one of those field values (超互联网
 * 医院药品支付范围: an internet visit, as the HIS marks it). An encounter without the fields is not
 * in scope: the rule never guesses. With `skip_self_paid`, a line the patient pays in full
 * (ownpay_amt covers its amount) is not billed to the fund and does not offend.
 */
export const codeList: TemplateDef<PointBase, CodeListParams> = {
  name: 'code-list',
  columns: [],
  compileParams(params, problem) {
    for (const k of Object.keys(params)) if (k !== 'encounter_fields' && k !== 'scope_label' && k !== 'skip_self_paid') problem(k, 'is not a parameter of code-list');
    if (params.skip_self_paid !== undefined && typeof params.skip_self_paid !== 'boolean') problem('skip_self_paid', 'must be true or false');
    const label = params.scope_label;
    if (label !== undefined && typeof label !== 'string') problem('scope_label', 'must be a string');
    return { encounterFields: compileFields(params.encounter_fields, problem), scopeLabel: typeof label === 'string' ? label : '', skipSelfPaid: params.skip_self_paid === true };
  },
  compilePoint(row, _params, problem) {
    return basePoint(row, problem);
  },
  checkOrder(order, _point, params): Vars | undefined {
    if (params.skipSelfPaid && isSelfPaid(order)) return undefined;
    const fields = params.encounterFields;
    if (!fields) return { limit: '不予支付', actual: '已计费' };
    const enc = order.enc.dto as unknown as Record<string, unknown>;
    for (const [field, values] of fields) {
      const v = enc[field];
      if (v !== undefined && values.has(readText(v))) return { limit: params.scopeLabel || field, actual: `${field}=${readText(v)}`, field };
    }
    return undefined;
  },
};
