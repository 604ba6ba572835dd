/**
 * Exemption matching in O(findings × few): every exemption is filed under ONE of its scope values
 * (the most selective field it names: patient, then drug/item code, doctor, diagnosis prefix,
 * department, rule, insurance type), so a finding looks up a handful of map keys and checks only
 * the exemptions filed there, never the whole list.
 */
import type { FindingSource, ResultDto } from '../model/result.js';
import { attributionOf, type Attribution } from '../model/attribution.js';
import { parseDateTime } from '../model/dates.js';
import type { Exemption, ExemptionScope } from './types.js';

type Field = keyof ExemptionScope;

/** Anchor preference: the field an exemption is filed under is the first it names in this order. */
const ANCHORS: readonly Field[] = ['patient', 'hilist_code', 'dr_codg', 'diagnosis_prefix', 'dept_codg', 'rule_id', 'insutype'];

/** An exemption ready to match. */
export interface ReadyExemption {
  ex: Exemption;
  /** Position in the file: the first matching exemption (in file order) wins. */
  pos: number;
  fromMs: number;
  toMs: number;
  cap: number;
  /** Values per scope field; absent = any. */
  sets: Partial<Record<Field, ReadonlySet<string>>>;
}

/** The index: per anchor field, value → exemptions filed under it. */
export interface ExemptionIndex {
  size: number;
  byField: Map<Field, Map<string, ReadyExemption[]>>;
  /** Longest diagnosis prefix filed (bounds the prefixes a diagnosis code is cut into). */
  maxPrefix: number;
}

const valuesOf = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]).map((x) => x.trim());

/** Builds the index of validated exemptions. */
export function buildExemptionIndex(list: readonly Exemption[]): ExemptionIndex {
  const byField = new Map<Field, Map<string, ReadyExemption[]>>();
  let maxPrefix = 0;
  list.forEach((ex, pos) => {
    const sets: ReadyExemption['sets'] = {};
    for (const f of ANCHORS) {
      const v = ex.scope[f];
      if (v !== undefined) sets[f] = new Set(valuesOf(v));
    }
    const ready: ReadyExemption = {
      ex,
      pos,
      fromMs: ex.from ? parseDateTime(ex.from) : Number.NEGATIVE_INFINITY,
      toMs: ex.to ? parseDateTime(ex.to) : Number.POSITIVE_INFINITY,
      cap: ex.cap ?? Number.POSITIVE_INFINITY,
      sets,
    };
    const anchor = ANCHORS.find((f) => sets[f] !== undefined)!;
    let m = byField.get(anchor);
    if (!m) byField.set(anchor, (m = new Map()));
    for (const v of sets[anchor]!) {
      if (anchor === 'diagnosis_prefix') maxPrefix = Math.max(maxPrefix, v.length);
      const l = m.get(v);
      if (l) l.push(ready);
      else m.set(v, [ready]);
    }
  });
  return { size: list.length, byField, maxPrefix };
}

/** What a finding is matched on, read lazily (attribution and diagnoses only when an exemption asks). */
export class FindingKeys {
  private attr: Attribution | undefined;
  private diags: string[] | undefined;
  private patient: string | undefined;
  constructor(
    readonly finding: ResultDto,
    readonly source: FindingSource,
    private readonly patientKey: (id: string) => string,
  ) {}

  private attribution(): Attribution {
    return (this.attr ??= attributionOf(this.source.order, this.source.encounter));
  }

  /** Diagnosis codes of the finding's encounter. */
  diagnoses(): string[] {
    if (this.diags) return this.diags;
    const enc = this.source.encounter;
    const out: string[] = [];
    for (const d of enc.fsi_diagnose_dtos ?? []) if (d.dise_codg) out.push(d.dise_codg);
    if (enc.dscg_main_dise_codg) out.push(enc.dscg_main_dise_codg);
    return (this.diags = out);
  }

  /** The finding's value of a scope field (diagnosis_prefix is matched by {@link matches}). */
  value(f: Field): string | undefined {
    switch (f) {
      case 'rule_id':
        return this.finding.rule_id;
      case 'hilist_code':
        return this.source.order?.hilist_code || undefined;
      case 'dept_codg':
        return this.attribution().dept_codg;
      case 'dr_codg':
        return this.attribution().dr_codg;
      case 'patient':
        return (this.patient ??= this.patientKey(this.finding.patn_id));
      case 'insutype':
        return this.source.encounter.insutype || undefined;
      default:
        return undefined;
    }
  }

  /** Whether every field the exemption names matches the finding. */
  matches(e: ReadyExemption): boolean {
    for (const f of ANCHORS) {
      const set = e.sets[f];
      if (!set) continue;
      if (f === 'diagnosis_prefix') {
        if (!this.diagnoses().some((code) => [...set].some((p) => code.startsWith(p)))) return false;
      } else {
        const v = this.value(f);
        if (v === undefined || !set.has(v)) return false;
      }
    }
    return true;
  }
}

/** Exemptions filed under a key of the finding (candidates; {@link FindingKeys.matches} decides). */
export function candidates(index: ExemptionIndex, keys: FindingKeys, visit: (e: ReadyExemption) => void): void {
  for (const [field, m] of index.byField) {
    if (field === 'diagnosis_prefix') {
      for (const code of keys.diagnoses()) {
        const n = Math.min(code.length, index.maxPrefix);
        for (let len = 1; len <= n; len++) {
          const l = m.get(code.slice(0, len));
          if (l) for (const e of l) visit(e);
        }
      }
      continue;
    }
    const v = keys.value(field);
    if (v === undefined) continue;
    const l = m.get(v);
    if (l) for (const e of l) visit(e);
  }
}
