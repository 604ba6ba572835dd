import { type PointBase, type TemplateDef } from './template.js';
interface DailyPoint extends PointBase {
    maxCount: number;
    unit: string;
}
/**
 * 医疗服务项目限定频次: summed cnt of the item within one calendar day exceeds max_count (unit 日/天:
 * once a day; 小时: hours billed). The order that crosses the limit and every later one that day offend.
 */
export declare const dailyCount: TemplateDef<DailyPoint, Record<string, never>>;
export {};
//# sourceMappingURL=daily-count.d.ts.map