import { type PointBase, type TemplateDef } from './template.js';
interface CoursePoint extends PointBase {
    maxSpan?: number;
    minInterval?: number;
}
/**
 * 医疗服务项目限支付疗程: days from the patient's first use of the item to this use (inclusive)
 * exceed max_span_days, or this use comes fewer than min_interval_days after the previous one.
 */
export declare const itemCourse: TemplateDef<CoursePoint, Record<string, never>>;
export {};
//# sourceMappingURL=item-course.d.ts.map