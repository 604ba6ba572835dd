/**
 * Exemption matching in O(findings × few): every exemption is filed under ONE of its scope values
 * (the most selective field it names: patient, then drug/item code, doctor, diagnosis prefix,
 * department, rule, insurance type), so a finding looks up a handful of map keys and checks only
 * the exemptions filed there, never the whole list. Nothing is allocated per finding but the
 * attribution (when an exemption names a department or doctor) and diagnosis prefixes.
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
  /** The scope fields it names and their values (parallel arrays). */
  fields: Field[];
  sets: Array<ReadonlySet<string>>;
  /** diagnosis_prefix values, when named. */
  prefixes: string[] | undefined;
}

/** The index: per anchor field, value → exemptions filed under it. */
export interface ExemptionIndex {
  size: number;
  /** Anchor fields that have entries, in ANCHORS order, with their maps. */
  anchors: Array<{ field: Field; map: Map<string, ReadyExemption[]> }>;
  /** Longest diagnosis prefix filed (bounds the prefixes a diagnosis code is cut into). */
  maxPrefix: number;
}

const valuesOf = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]).map((x) => x.trim());

/** Builds the index of validated exemptions. */
export function buildExemptionIndex(list: readonly Exemption[]): ExemptionIndex {
  const byField = new Map<Field, Map<string, ReadyExemption[]>>();
  let maxPrefix = 0;
  list.forEach((ex, pos) => {
    const fields: Field[] = [];
    const sets: Array<Set<string>> = [];
    let prefixes: string[] | undefined;
    for (const f of ANCHORS) {
      const v = ex.scope[f];
      if (v === undefined) continue;
      fields.push(f);
      sets.push(new Set(valuesOf(v)));
      if (f === 'diagnosis_prefix') prefixes = valuesOf(v);
    }
    const ready: ReadyExemption = {
      ex,
      pos,
      fromMs: ex.from ? parseDateTime(ex.from) : Number.NEGATIVE_INFINITY,
      toMs: ex.to ? parseDateTime(ex.to) : Number.POSITIVE_INFINITY,
      cap: ex.cap ?? Number.POSITIVE_INFINITY,
      fields,
      sets,
      prefixes,
    };
    const anchor = fields[0];
    let m = byField.get(anchor);
    if (!m) byField.set(anchor, (m = new Map<string, ReadyExemption[]>()));
    for (const v of sets[0]) {
      if (anchor === 'diagnosis_prefix') maxPrefix = Math.max(maxPrefix, v.length);
      const l = m.get(v);
      if (l) l.push(ready);
      else m.set(v, [ready]);
    }
  });
  const anchors = ANCHORS.filter((f) => byField.has(f)).map((field) => ({ field, map: byField.get(field)! }));
  return { size: list.length, anchors, maxPrefix };
}

/** One finding's values, read lazily (one object reused for every finding of an evaluation). */
export class FindingKeys {
  finding!: ResultDto;
  source!: FindingSource;
  private attr: Attribution | undefined;
  /** The patient key of the last patn_id seen: a request's findings are mostly one patient's, keyed once. */
  private patnId: string | undefined;
  private patient: string | undefined;
  private patientKey: (id: string) => string = (id) => id;

  /** Starts an evaluation (one object serves every evaluation: nothing here outlives the call). */
  begin(patientKey: (id: string) => string): void {
    this.patientKey = patientKey;
    this.patnId = undefined;
    this.patient = undefined;
  }

  reset(finding: ResultDto, source: FindingSource): void {
    this.finding = finding;
    this.source = source;
    this.attr = undefined;
  }

  /** The finding's value of a scope field (diagnosis_prefix is matched separately). */
  value(f: Field): string | undefined {
    switch (f) {
      case 'rule_id':
        return this.finding.rule_id;
      case 'hilist_code':
        return this.source.order?.hilist_code || undefined;
      case 'dept_codg':
        return (this.attr ??= attributionOf(this.source.order, this.source.encounter)).dept_codg;
      case 'dr_codg':
        return (this.attr ??= attributionOf(this.source.order, this.source.encounter)).dr_codg;
      case 'patient':
        if (this.patnId !== this.finding.patn_id) {
          this.patnId = this.finding.patn_id;
          this.patient = this.patientKey(this.patnId);
        }
        return this.patient;
      case 'insutype':
        return this.source.encounter.insutype || undefined;
      default:
        return undefined;
    }
  }

  /** Whether a diagnosis of the finding's encounter starts with one of the prefixes. */
  hasDiagnosis(prefixes: readonly string[]): boolean {
    const enc = this.source.encounter;
    const main = enc.dscg_main_dise_codg;
    for (const p of prefixes) {
      if (main && main.startsWith(p)) return true;
      const diags = enc.fsi_diagnose_dtos;
      if (diags) for (let i = 0; i < diags.length; i++) if (diags[i].dise_codg?.startsWith(p)) return true;
    }
    return false;
  }

  /** Whether every field the exemption names matches the finding. */
  matches(e: ReadyExemption): boolean {
    for (let i = 0; i < e.fields.length; i++) {
      const f = e.fields[i];
      if (f === 'diagnosis_prefix') {
        if (!this.hasDiagnosis(e.prefixes!)) return false;
      } else {
        const v = this.value(f);
        if (v === undefined || !e.sets[i].has(v)) return false;
      }
    }
    return true;
  }
}

/** A candidate passes when in force at `nowMs`, matching, and under its cap (`usedOf` gives its uses so far). */
export interface MatchState {
  nowMs: number;
  /** Uses before this evaluation (the caller's counter). */
  usage: ((id: string) => number) | undefined;
  /** Uses in this evaluation. */
  uses: Record<string, number>;
  /** Capped exemptions that matched with no use left. */
  capReached: Set<string> | undefined;
}

function consider(list: readonly ReadyExemption[], keys: FindingKeys, st: MatchState, best: ReadyExemption | undefined): ReadyExemption | undefined {
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (best && best.pos <= e.pos) continue;
    if (st.nowMs < e.fromMs || st.nowMs >= e.toMs) continue;
    if (!keys.matches(e)) continue;
    if (e.cap !== Number.POSITIVE_INFINITY && (st.usage?.(e.ex.id) ?? 0) + (st.uses[e.ex.id] ?? 0) >= e.cap) {
      (st.capReached ??= new Set()).add(e.ex.id);
      continue;
    }
    best = e;
  }
  return best;
}

/** The exemption (first in file order) that suppresses the finding in `keys`, if any. */
export function findExemption(index: ExemptionIndex, keys: FindingKeys, st: MatchState): ReadyExemption | undefined {
  let best: ReadyExemption | undefined;
  for (let a = 0; a < index.anchors.length; a++) {
    const { field, map } = index.anchors[a];
    if (field === 'diagnosis_prefix') {
      const enc = keys.source.encounter;
      const codes: string[] = [];
      if (enc.dscg_main_dise_codg) codes.push(enc.dscg_main_dise_codg);
      for (const d of enc.fsi_diagnose_dtos ?? []) if (d.dise_codg) codes.push(d.dise_codg);
      for (const code of codes) {
        const n = Math.min(code.length, index.maxPrefix);
        for (let len = 1; len <= n; len++) {
          const l = map.get(code.slice(0, len));
          if (l) best = consider(l, keys, st, best);
        }
      }
      continue;
    }
    const v = keys.value(field);
    if (v === undefined) continue;
    const l = map.get(v);
    if (l) best = consider(l, keys, st, best);
  }
  return best;
}
