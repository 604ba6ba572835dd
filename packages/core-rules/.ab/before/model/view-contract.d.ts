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
export declare const VIEW_KEYS: readonly ViewKey[];
/** The change-timestamp column used as the incremental watermark (the views', not the interface's). */
export declare const CHANGE_COLUMN = "updt_time";
/** Encounter columns that belong to the patient rather than the encounter. */
export declare const PATIENT_COLUMNS: readonly string[];
/**
 * Every contract view by key, built afresh (callers may keep and change their copy). The
 * encounter view carries its patient's columns (one row per encounter); the diagnosis, order and
 * operation views carry `mdtrt_id` to join on; the code map (对照) maps the hospital's item
 * code to the national one.
 */
export declare function buildViewContract(): Record<ViewKey, ContractView>;
//# sourceMappingURL=view-contract.d.ts.map