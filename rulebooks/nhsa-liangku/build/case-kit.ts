/**
 * Helpers for writing the rulebook's own test cases (cases/*.json) from real national codes:
 * codes are looked up by knowledge-point name in the built knowledge tables, so a case can only
 * use a code the rulebook really lists. Requests get plain defaults that trigger nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckData, EncounterDto, OrderDto, PatientDto, RuleCase } from '@preaudit/core-rules';
import { parseCsv } from './csv.js';

/** The rulebook folder (knowledge/ lives here). */
const RULEBOOK_DIR = join(import.meta.dirname, '..');

const tableCache = new Map<string, Array<Record<string, string>>>();

/** Rows of knowledge/<id>.csv by column name. */
export function table(id: string): Array<Record<string, string>> {
  let rows = tableCache.get(id);
  if (!rows) {
    const [header, ...recs] = parseCsv(readFileSync(join(RULEBOOK_DIR, 'knowledge', `${id}.csv`), 'utf8'));
    rows = recs.map((r) => Object.fromEntries(header.fields.map((h, k) => [h, r.fields[k] ?? ''])));
    tableCache.set(id, rows);
  }
  return rows;
}

/** The national codes of point `name` in table `id` (throws when the point is not there). */
function codesOf(id: string, name: string): string[] {
  const row = table(id).find((r) => r.name === name);
  if (!row) throw new Error(`no point "${name}" in knowledge/${id}.csv`);
  return row.codes.split('|');
}

/** The k-th code of point `name` in table `id`. */
export function codeOf(id: string, name: string, k = 0): string {
  const codes = codesOf(id, name);
  if (k >= codes.length) throw new Error(`point "${name}" in ${id} has only ${codes.length} codes`);
  return codes[k];
}

/** Checks that `main` → `sub` is a pair of the duplicate-billing table with the given window. */
export function pair(main: string, sub: string, window: string): { main: string; sub: string } {
  const row = table('item_duplicate_billing').find((r) => r.main_code === main && r.sub_code === sub);
  if (!row) throw new Error(`no pair ${main} → ${sub}`);
  if (row.window !== window) throw new Error(`pair ${main} → ${sub} has window ${row.window}, not ${window}`);
  return { main, sub };
}

/** A current order of `code` (curr_drord_flag "1", cnt 1, price 100 unless given). */
export function order(rx_id: string, code: string, name: string, begin: string, extra: Partial<OrderDto> = {}): OrderDto {
  const cnt = extra.cnt ?? 1;
  const pric = extra.pric ?? 100;
  const hilist_type = /^\d{15}$/.test(code) ? '201' : '101';
  return {
    rx_id,
    hilist_code: code,
    hilist_name: name,
    hilist_type,
    cnt,
    pric,
    sumamt: Math.round(cnt * pric * 100) / 100,
    drord_begn_date: begin,
    curr_drord_flag: '1',
    ...extra,
  };
}

/** A history order (curr_drord_flag "0"): counted by window rules, never a 违规项. */
export function history(rx_id: string, code: string, name: string, begin: string, extra: Partial<OrderDto> = {}): OrderDto {
  return order(rx_id, code, name, begin, { ...extra, curr_drord_flag: '0' });
}

/** An encounter: outpatient (1) at a 三级甲等 (02) hospital, 职工医保 (310), unless given. */
export function encounter(mdtrt_id: string, adm_date: string, orders: OrderDto[], extra: Partial<EncounterDto> = {}): EncounterDto {
  return {
    mdtrt_id,
    medins_id: 'H0001',
    medins_name: '示例市第一人民医院',
    medins_lv: '02',
    med_mdtrt_type: '1',
    med_type: '11',
    insutype: '310',
    adm_date,
    ...extra,
    fsi_order_dtos: orders,
  };
}

/** A patient: male, born 1980-01-01, unless given. */
export function patient(encounters: EncounterDto[], extra: Partial<PatientDto> = {}): PatientDto {
  return { patn_id: 'P001', gend: '1', brdy: '1980-01-01', ...extra, fsi_encounter_dtos: encounters };
}

/** A request for one patient (trig_scen "1" 门诊挂号 unless given). */
export function request(p: PatientDto, trig_scen = '1'): CheckData {
  return { syscode: 'HIS', task_id: 'T001', trig_scen, patient_dtos: [p] };
}

/** Expectation shorthand: rule `id` fires with `rx` as the 违规项 (and these involved orders, if given). */
export function fires(rule_id: string, rx_id: string, involved?: string[]): { rule_id: string; rx_id: string; involved?: string[] } {
  return involved ? { rule_id, rx_id, involved } : { rule_id, rx_id };
}

/** Expect-not shorthand: rule `id` does not fire (on `rx`, or at all). */
export function quiet(rule_id: string, rx_id?: string): { rule_id: string; rx_id?: string } {
  return rx_id === undefined ? { rule_id } : { rule_id, rx_id };
}

/** Identity helper that types a case. */
export function kase(c: RuleCase): RuleCase {
  return c;
}
