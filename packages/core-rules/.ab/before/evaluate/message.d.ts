import type { Vars } from '../templates/template.js';
/** A message template compiled once: literal text and placeholder names, alternating. */
export type CompiledMessage = ReadonlyArray<string | {
    name: string;
}>;
/** Placeholders a message may use (the union over all templates). */
export declare const MESSAGE_PLACEHOLDERS: ReadonlySet<string>;
/** Splits "「{point}」限{limit}使用" into parts; unknown placeholders are returned for reporting. */
export declare function compileMessage(text: string, unknown?: string[]): CompiledMessage;
/** Renders a compiled message; a placeholder without a value renders empty. `base` fills what `vars` lacks. */
export declare function renderMessage(msg: CompiledMessage, vars: Vars, base?: Vars): string;
//# sourceMappingURL=message.d.ts.map