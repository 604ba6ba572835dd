/**
 * Findings → CDS Hooks 2.0 cards: one card per finding (uuid = jr_id, so feedback maps back
 * onto 3103), indicator from sev_deg (1 critical, 2 warning, 3 info), override reasons, and a
 * suggestion to withdraw the offending draft order.
 */
import type { CompiledRulebook, FindingSource, ResultDto } from '@preaudit/core-rules';

/** The code system of our override reasons. */
const OVERRIDE_SYSTEM = 'urn:preaudit:cds:override-reason';

/** Reasons a doctor may give for going ahead (dspo_way 1 继续执行). */
export const OVERRIDE_REASONS = [
  { system: OVERRIDE_SYSTEM, code: 'clinical-need', display: '临床必需' },
  { system: OVERRIDE_SYSTEM, code: 'patient-self-pay', display: '患者知情同意自费' },
  { system: OVERRIDE_SYSTEM, code: 'rule-not-applicable', display: '规则不适用于本例' },
  { system: OVERRIDE_SYSTEM, code: 'other', display: '其他' },
];

const INDICATOR = new Map<string, 'critical' | 'warning' | 'info'>([
  ['1', 'critical'],
  ['2', 'warning'],
  ['3', 'info'],
]);

/** A CDS Hooks card (the fields we send). */
export interface Card {
  uuid: string;
  summary: string;
  detail: string;
  indicator: 'critical' | 'warning' | 'info';
  source: { label: string; topic: { system: string; code: string; display: string } };
  overrideReasons: typeof OVERRIDE_REASONS;
  suggestions?: Array<{ label: string; uuid: string; isRecommended: boolean; actions: Array<{ type: 'delete'; description: string; resourceId: string[] }> }>;
  selectionBehavior?: 'at-most-one';
}

/** Summary must stay under 140 characters. */
function clip(s: string, n = 139): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/**
 * Builds the cards for a check's findings; `sources` (from `evaluate`'s `withSources`, aligned
 * with `results`) names each finding's offending order.
 */
export function toCards(results: readonly ResultDto[], sources: readonly FindingSource[] | undefined, rulebook: CompiledRulebook, references: Map<string, string>): Card[] {
  const label = `${rulebook.name ?? rulebook.id} ${rulebook.version}`;
  return results.map((r, i) => {
    const order = sources?.[i]?.order;
    const name = order?.hilist_name;
    const ref = order ? references.get(order.rx_id) : undefined;
    const card: Card = {
      uuid: r.jr_id,
      summary: clip(name ? `${r.rule_name}：${name}` : r.rule_name),
      detail: r.vola_evid ? `${r.vola_cont}\n\n依据：${r.vola_evid}` : r.vola_cont,
      indicator: INDICATOR.get(r.sev_deg) ?? 'warning',
      source: { label, topic: { system: 'urn:preaudit:rule', code: r.rule_id, display: r.rule_name } },
      overrideReasons: OVERRIDE_REASONS,
    };
    if (ref) {
      card.suggestions = [
        { label: '撤销该医嘱', uuid: `${r.jr_id}-withdraw`, isRecommended: r.sev_deg === '1', actions: [{ type: 'delete', description: `撤销 ${name ?? ref}`, resourceId: [ref] }] },
      ];
      card.selectionBehavior = 'at-most-one';
    }
    return card;
  });
}
