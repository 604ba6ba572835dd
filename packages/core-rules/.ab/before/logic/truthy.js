/**
 * JsonLogic truthiness (https://jsonlogic.com/truthy.html), as json-logic-js implements it:
 * JavaScript truthiness except that an empty array is falsy. So `0`, `""`, `null`, `NaN`,
 * `false`, `undefined` and `[]` are falsy; `"0"`, `[0]`, `{}` and `"false"` are truthy.
 */
export function truthy(value) {
    // Array.isArray first: the common case (booleans from comparisons) falls through to `!!`.
    return Array.isArray(value) ? value.length !== 0 : !!value;
}
//# sourceMappingURL=truthy.js.map