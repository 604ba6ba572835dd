/**
 * Resolving the mapping file against the columns the views really have: each contract column
 * becomes "read column X of view V as national name N", and every mapping that points at
 * nothing is reported on its own line, column by column.
 */
import { VIEW_CONTRACT, VIEW_KEYS, conventionOf, type ColumnKind, type ViewKey } from '../contract/view-contract.js';
import type { ConfigProblem, DbSourceConfig } from '../config/source-config.js';

/** One column to read: the view's column, read as the national name. */
export interface SelectedColumn {
  /** National name (the alias in SQL and the key in the model). */
  national: string;
  /** The view's column, spelled as the database spells it. */
  column: string;
  /** Value kind, for normalisation. */
  kind: ColumnKind;
  /** Code convention for this column (hospital value → national value). */
  values?: Record<string, string>;
}

/** A view ready to query. */
export interface ResolvedView {
  /** View name as configured. */
  name: string;
  /** Schema, when the database has schemas and one is configured. */
  schema?: string;
  /** Columns to read, in contract order. */
  columns: SelectedColumn[];
  /** National name → the view's column, for WHERE and ORDER BY. */
  byNational: Record<string, string>;
}

/** Every view of a source, resolved; a key is absent when the hospital has no such view. */
export type ResolvedViews = Partial<Record<ViewKey, ResolvedView>>;

/** The columns each view has in the database; `null` when the view does not exist. */
export type ActualColumns = Partial<Record<ViewKey, string[] | null>>;

/** Where a view is: name and schema from the mapping file or the contract's defaults. */
export function viewLocation(config: DbSourceConfig, view: ViewKey, supportsSchema = true): { name: string; schema?: string } | null {
  const mapping = config.views[view];
  if (mapping === false) return null;
  const name = mapping?.name ?? VIEW_CONTRACT[view].defaultName;
  const schema = supportsSchema ? (mapping?.schema ?? config.schema) : undefined;
  return schema ? { name, schema } : { name };
}

const OPTIONAL_VIEWS: readonly ViewKey[] = ['diagnoses', 'operations', 'code_map'];

function listColumns(cols: string[]): string {
  const shown = cols.slice(0, 40).join(', ');
  return cols.length > 40 ? `${shown}, … (${cols.length} columns)` : shown;
}

/**
 * Resolves every view (pure: the caller fetched the actual columns). Optional views
 * (diagnoses, operations, 对照) that the mapping file does not mention and that do not exist
 * are left out quietly; a view the file names must exist.
 */
export function resolveViews(config: DbSourceConfig, actual: ActualColumns, supportsSchema = true): { views: ResolvedViews; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const views: ResolvedViews = {};
  for (const key of VIEW_KEYS) {
    const location = viewLocation(config, key, supportsSchema);
    if (!location) continue;
    const mapping = config.views[key] || undefined;
    const cols = actual[key];
    const qualified = location.schema ? `${location.schema}.${location.name}` : location.name;
    if (!cols || cols.length === 0) {
      if (!mapping && OPTIONAL_VIEWS.includes(key)) continue;
      problems.push({ field: `views.${key}.name`, message: `view ${qualified} not found (or has no columns visible to this user)` });
      continue;
    }
    const lower = new Map(cols.map((c) => [c.toLowerCase(), c]));
    // The view's columns are listed with its first problem only.
    let listed = false;
    const has = () => (listed ? 'see its columns above' : ((listed = true), `it has: ${listColumns(cols)}`));
    const selected: SelectedColumn[] = [];
    const byNational: Record<string, string> = {};
    for (const contract of VIEW_CONTRACT[key].columns) {
      const mapped = mapping?.columns?.[contract.name];
      let column: string | undefined;
      if (mapped !== undefined) {
        column = cols.includes(mapped) ? mapped : lower.get(mapped.toLowerCase());
        if (!column) {
          problems.push({
            field: `views.${key}.columns.${contract.name}`,
            message: `column ${mapped} (for ${contract.name} ${contract.label}) not found in ${qualified}; ${has()}`,
          });
          continue;
        }
      } else {
        column = lower.get(contract.name);
      }
      if (!column) {
        if (contract.required) {
          problems.push({
            field: `views.${key}.columns.${contract.name}`,
            message: `required column ${contract.name} (${contract.label}) is missing from ${qualified}: map it to one of its columns; ${has()}`,
          });
        }
        continue;
      }
      const values = conventionOf(contract, mapping?.values?.[contract.name]);
      selected.push(values ? { national: contract.name, column, kind: contract.kind, values } : { national: contract.name, column, kind: contract.kind });
      byNational[contract.name] = column;
    }
    for (const national of Object.keys(mapping?.values ?? {})) {
      if (!byNational[national] && !problems.some((p) => p.field === `views.${key}.columns.${national}`)) {
        problems.push({ field: `views.${key}.values.${national}`, message: `a code convention is given for ${national} but ${qualified} has no such column` });
      }
    }
    views[key] = { ...location, columns: selected, byNational };
  }
  return { views, problems };
}
