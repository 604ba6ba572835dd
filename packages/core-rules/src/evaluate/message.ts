import type { Vars } from '../templates/template.js';

/** A message template compiled once: literal text and placeholder names, alternating. */
export type CompiledMessage = ReadonlyArray<string | { name: string }>;

/** Placeholders a message may use (the union over all templates). */
const MESSAGE_PLACEHOLDERS: ReadonlySet<string> = new Set([
  'point',
  'item',
  'code',
  'limit',
  'actual',
  'rule_name',
  'unit',
  'date',
  'period',
  'main',
  'sub',
  'window',
  'group',
  'ratio',
  'standard',
  'kind',
  'patn_id',
  'mdtrt_id',
  'rx_id',
  // encounter templates: the diagnosis judged, the incompatible pair and its other herbs, the herb count
  'diagnosis',
  'diagnosis_name',
  'pair',
  'other',
  'count',
  'field',
  // item-price-limit (the tier, the excess), duplicate-class (the ATC class), readmission (the earlier stay)
  'tier',
  'excess',
  'class',
  'category',
  'previous',
  'previous_diagnosis',
  'discharge',
  'days',
]);

/** Splits "「{point}」限{limit}使用" into parts; unknown placeholders are returned for reporting. */
export function compileMessage(text: string, unknown: string[] = []): CompiledMessage {
  const parts: Array<string | { name: string }> = [];
  const re = /\{([a-z_]+)\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    if (!MESSAGE_PLACEHOLDERS.has(m[1])) unknown.push(m[1]);
    parts.push({ name: m[1] });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** Renders a compiled message; a placeholder without a value renders empty. `base` fills what `vars` lacks. */
export function renderMessage(msg: CompiledMessage, vars: Vars, base?: Vars): string {
  let out = '';
  for (let i = 0; i < msg.length; i++) {
    const p = msg[i];
    if (typeof p === 'string') out += p;
    else {
      const v = vars[p.name] ?? base?.[p.name];
      if (v !== undefined) out += v;
    }
  }
  return out;
}
