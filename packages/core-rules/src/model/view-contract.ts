/**
 * The HIS view contract, built from the national field table (fields.ts): what a hospital
 * exposes so the adapter can read HIS/EMR data, one view per national entity with the national
 * column names, plus a change timestamp (`updt_time`) for incremental 事中 reads.
 */
import { fieldsOf, type FieldDef, type FieldLevel } from './fields.js';

/** How a column's value is normalised on the way in. */
export type ColumnKind = 'string' | 'number' | 'date';

/** One column of a contract view. */
export interface ContractColumn {
  /** National column name (the key in the canonical model). */
  name: string;
  /** Value kind: dates become `yyyy-MM-dd HH:mm:ss` strings, numbers become numbers. */
  kind: ColumnKind;
  /** Must exist in the view (mapped or under its national name). */
  required: boolean;
  /** Chinese meaning, for documentation and error messages. */
  label: string;
}

/** One contract view. */
export interface ContractView {
  /** Default view name when the mapping file names none. */
  defaultName: string;
  /** Chinese meaning. */
  label: string;
  /** The columns, in documentation order. */
  columns: ContractColumn[];
}

/** The entities a source exposes. */
export type ViewKey = 'encounters' | 'diagnoses' | 'orders' | 'operations' | 'code_map';

/** The view keys, in reading order. */
export const VIEW_KEYS: readonly ViewKey[] = ['encounters', 'diagnoses', 'orders', 'operations', 'code_map'];

/** The change-timestamp column used as the incremental watermark (the views', not the interface's). */
export const CHANGE_COLUMN = 'updt_time';

function column(f: FieldDef, required = f.required === true || f.viewRequired === true): ContractColumn {
  return { name: f.name, kind: f.kind === 'number' ? 'number' : f.kind === 'date' ? 'date' : 'string', required, label: f.zh };
}

function columnsOf(level: FieldLevel): ContractColumn[] {
  return fieldsOf(level)
    .filter((f) => !f.notInView)
    .map((f) => column(f));
}

const MDTRT_ID = column(
  fieldsOf('encounter').find((f) => f.name === 'mdtrt_id')!,
  true,
);

/** Encounter columns that belong to the patient rather than the encounter. */
export const PATIENT_COLUMNS: readonly string[] = columnsOf('patient').map((c) => c.name);

/**
 * Every contract view by key, built afresh (callers may keep and change their copy). The
 * encounter view carries its patient's columns (one row per encounter); the diagnosis, order and
 * operation views carry `mdtrt_id` to join on; the code map (对照) maps the hospital's item
 * code to the national one.
 */
export function buildViewContract(): Record<ViewKey, ContractView> {
  const order = new Map(fieldsOf('order').map((f) => [f.name, f]));
  return {
    encounters: {
      defaultName: 'pa_encounter',
      label: '就诊（含参保人）',
      columns: [...columnsOf('patient'), ...columnsOf('encounter'), { name: CHANGE_COLUMN, kind: 'date', required: false, label: '数据更新时间（增量读取水位）' }],
    },
    diagnoses: { defaultName: 'pa_diagnose', label: '诊断', columns: [MDTRT_ID, ...columnsOf('diagnosis')] },
    orders: { defaultName: 'pa_order', label: '医嘱（费用明细）', columns: [MDTRT_ID, ...columnsOf('order')] },
    operations: { defaultName: 'pa_operation', label: '手术操作', columns: [MDTRT_ID, ...columnsOf('operation')] },
    code_map: {
      defaultName: 'pa_code_map',
      label: '医保目录对照',
      columns: [column(order.get('hosplist_code')!, true), column(order.get('hilist_code')!, true), column(order.get('hilist_name')!, false)],
    },
  };
}
