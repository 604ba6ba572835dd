/**
 * The documented view contract: what a hospital exposes so the adapter can read HIS/EMR data
 * without touching the HIS itself. The views and their columns are core-rules' (built from the
 * national field table, model/fields.ts, so a field is declared once); the adapter adds only the
 * default code conventions a HIS view commonly needs (`values`). A hospital that cannot rename
 * its columns points a mapping file at its own views instead.
 */
import { buildViewContract, CHANGE_COLUMN, PATIENT_COLUMNS, VIEW_KEYS, type ColumnKind, type ContractColumn as CoreColumn, type ViewKey } from '@preaudit/core-rules';

export { CHANGE_COLUMN, PATIENT_COLUMNS, VIEW_KEYS, type ColumnKind, type ViewKey };

/** One contract view column, with the adapter's default code convention where it has one. */
export interface ContractColumn extends CoreColumn {
  /**
   * The default code convention (hospital value → national value), applied beneath the mapping
   * file's own `values` for this column, which win where both name a value.
   */
  values?: Readonly<Record<string, string>>;
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

/**
 * How HIS views commonly spell a yes/no flag, in the national form: "1" yes, "0" no. The engine
 * accepts only 1/"1"/true and 0/"0"/false for `curr_drord_flag` (DOMAIN.md, "Boundaries and odd
 * values, settled") and refuses the rest, so a view sending Y/N, 是/否 or true/false text would
 * have every request refused. Booleans from a driver (a PostgreSQL boolean column) arrive as
 * "true"/"false" text here. Missing or empty stays missing (current, per DOMAIN.md).
 */
export const YES_NO_FLAG_VALUES: Readonly<Record<string, string>> = Object.freeze({
  Y: '1',
  y: '1',
  N: '0',
  n: '0',
  是: '1',
  否: '0',
  true: '1',
  false: '0',
  TRUE: '1',
  FALSE: '0',
  True: '1',
  False: '0',
});

/** Default code conventions by view and column. */
const CONVENTIONS: Partial<Record<ViewKey, Record<string, Readonly<Record<string, string>>>>> = {
  orders: { curr_drord_flag: YES_NO_FLAG_VALUES },
};

function withConventions(): Record<ViewKey, ContractView> {
  const views = buildViewContract() as Record<ViewKey, ContractView>;
  for (const key of VIEW_KEYS) {
    const conventions = CONVENTIONS[key];
    if (!conventions) continue;
    for (const column of views[key].columns) if (conventions[column.name]) column.values = conventions[column.name];
  }
  return views;
}

/** Every contract view by key. */
export const VIEW_CONTRACT: Readonly<Record<ViewKey, ContractView>> = withConventions();

const byView = new Map<ViewKey, Map<string, ContractColumn>>(VIEW_KEYS.map((k) => [k, new Map(VIEW_CONTRACT[k].columns.map((c) => [c.name, c]))]));

/** The contract column `name` of view `view`, or undefined when the contract has no such column. */
export function contractColumn(view: ViewKey, name: string): ContractColumn | undefined {
  return byView.get(view)!.get(name);
}

/**
 * The code convention of one column: the contract's default (if any) under the mapping file's
 * own values; undefined when neither has one, so the row mapper keeps its fast path.
 */
export function conventionOf(column: ContractColumn, configured?: Record<string, string>): Record<string, string> | undefined {
  if (!column.values) return configured;
  return configured ? { ...column.values, ...configured } : { ...column.values };
}
