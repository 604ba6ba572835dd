/**
 * JsonLogic truthiness (https://jsonlogic.com/truthy.html), as json-logic-js implements it:
 * JavaScript truthiness except that an empty array is falsy. So `0`, `""`, `null`, `NaN`,
 * `false`, `undefined` and `[]` are falsy; `"0"`, `[0]`, `{}` and `"false"` are truthy.
 */
export declare function truthy(value: unknown): boolean;
//# sourceMappingURL=truthy.d.ts.map