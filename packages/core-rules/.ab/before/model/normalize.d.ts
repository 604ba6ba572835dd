import type { CheckData } from './request.js';
/** A problem with one field of the input, named by its path. */
export interface FieldError {
    /** Path of the field, e.g. patient_dtos[0].fsi_encounter_dtos[0].fsi_order_dtos[2].cnt. */
    field: string;
    /** What is wrong with it. */
    message: string;
}
/** Result of normalising input: the clean value or every problem found. */
export type Normalized<T> = {
    ok: true;
    value: T;
} | {
    ok: false;
    errors: FieldError[];
};
/** patientDtos → patient_dtos, currDrordFlag → curr_drord_flag; snake_case keys pass unchanged. */
export declare function snakeKey(key: string): string;
/**
 * Why a text value cannot be taken as is, or undefined when it can. NUL is refused by
 * PostgreSQL text columns (one such value used to stop every later write) and is never part of
 * a code, name or reference; a lone surrogate has no UTF-8 form, so it would be stored as
 * something other than what was hashed and checked. Every string read from a request into the
 * model passes here.
 */
export declare function textProblem(value: string): string | undefined;
/**
 * Coerces a raw 3101/3102 `input.data` as HIS software sends it (numbers as strings, legacy
 * 3660/3661 camelCase keys, dates with or without time) into `CheckData`, or names every bad field.
 * The input is not modified.
 */
export declare function normalizeCheckData(raw: unknown): Normalized<CheckData>;
//# sourceMappingURL=normalize.d.ts.map