import type { TemplateName } from '../rulebook/types.js';
import type { TemplateDef } from './template.js';
/** Every built-in template by name. */
export declare const TEMPLATES: Record<TemplateName, TemplateDef<any, any>>;
export type { TemplateDef, Vars, GroupEntry, Emitter, TemplateContext, PointBase, PointEmitter, VisitEmitter, EncounterRuleView } from './template.js';
//# sourceMappingURL=index.d.ts.map