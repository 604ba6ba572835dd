/**
 * Compile-time proof that the national field table (fields.ts) and the hand-written types
 * (request.ts) agree: the same field names per level, the same numeric fields, the same required
 * fields, the same lists. A field added to one and not the other fails `npm run build` here.
 * Nothing runs: this module exports only types.
 */
import type { FieldLevel, NationalField } from './fields.js';
import { type NATIONAL_LISTS } from './fields.js';
import type { CheckData, DiagnoseDto, EncounterDto, OperationDto, OrderDto, PatientDto } from './request.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Fails to compile unless T is `true`. */
type Assert<T extends true> = T;

type ListName = (typeof NATIONAL_LISTS)[number]['name'];
type ListsAt<L extends FieldLevel> = Extract<(typeof NATIONAL_LISTS)[number], { parent: L }>['name'];
type FieldsAt<L extends FieldLevel> = Extract<NationalField, { level: L }>;
type NamesAt<L extends FieldLevel> = FieldsAt<L>['name'];
type NumbersAt<L extends FieldLevel> = Extract<FieldsAt<L>, { kind: 'number' }>['name'];
type RequiredAt<L extends FieldLevel> = Extract<FieldsAt<L>, { required: true }>['name'];

type NumberKeys<T> = { [K in keyof T]-?: NonNullable<T[K]> extends number ? K : never }[keyof T];
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/** The type of each level, as written in request.ts. */
interface TypeOf {
  data: CheckData;
  patient: PatientDto;
  encounter: EncounterDto;
  diagnosis: DiagnoseDto;
  order: OrderDto;
  operation: OperationDto;
}

type Agrees<L extends FieldLevel> = [
  Same<NamesAt<L> | ListsAt<L>, keyof TypeOf[L]>,
  Same<NumbersAt<L>, NumberKeys<TypeOf[L]>>,
  Same<RequiredAt<L> | Extract<RequiredKeys<TypeOf[L]>, ListName>, RequiredKeys<TypeOf[L]>>,
];

/** Every level agrees; a drift names the level in the compiler's error. */
export type FieldTableAgreesWithTypes = [
  Assert<Same<Agrees<'data'>, [true, true, true]>>,
  Assert<Same<Agrees<'patient'>, [true, true, true]>>,
  Assert<Same<Agrees<'encounter'>, [true, true, true]>>,
  Assert<Same<Agrees<'diagnosis'>, [true, true, true]>>,
  Assert<Same<Agrees<'order'>, [true, true, true]>>,
  Assert<Same<Agrees<'operation'>, [true, true, true]>>,
];
