import type { OrderFact } from '../evaluate/facts.js';
import { formatDay } from '../model/dates.js';
import { noParams, type PointBase, type TemplateDef } from './template.js';

type PairWindow = { kind: 'day' } | { kind: 'encounter' } | { kind: 'hours'; ms: number } | { kind: 'clock-hour' };

interface PairPoint extends PointBase {
  mainCode: string;
  subCode: string;
  mainName: string;
  subName: string;
  window: PairWindow;
  windowLabel: string;
}

const HOUR = 3_600_000;

/** Parses 单日 | 单次就诊 | 同一小时 | <N>小时. */
export function parsePairWindow(text: string): PairWindow | undefined {
  const t = text.trim();
  if (t === '单日' || t === '同一天' || t === '当日') return { kind: 'day' };
  if (t === '单次就诊' || t === '当次就诊') return { kind: 'encounter' };
  if (t === '同一小时') return { kind: 'clock-hour' };
  const m = /^(\d+(?:\.\d+)?)\s*(小时|h)$/i.exec(t);
  if (m && Number(m[1]) > 0) return { kind: 'hours', ms: Number(m[1]) * HOUR };
  return undefined;
}

function sameWindow(w: PairWindow, a: OrderFact, b: OrderFact): boolean {
  switch (w.kind) {
    case 'day': return a.beginDay === b.beginDay;
    case 'encounter': return a.enc === b.enc;
    case 'clock-hour': return Math.floor(a.beginMs / HOUR) === Math.floor(b.beginMs / HOUR);
    case 'hours': return Math.abs(a.beginMs - b.beginMs) < w.ms;
  }
}

/**
 * 医疗服务项目重复收费: the sub item is billed with the main item that includes it, within the
 * pair's window (same day, same encounter, fewer than N hours apart, or the same clock hour). The
 * sub-item order is 违规项, the main-item orders 涉及项.
 */
export const pairExclusion: TemplateDef<PairPoint, Record<string, never>> = {
  name: 'pair-exclusion',
  columns: ['main_code', 'sub_code', 'window'],
  pairTable: true,
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const mainCode = String(row.main_code ?? '').trim();
    const subCode = String(row.sub_code ?? '').trim();
    if (!mainCode) problem('main_code', 'is required');
    if (!subCode) problem('sub_code', 'is required');
    if (mainCode && mainCode === subCode) problem('sub_code', 'must differ from main_code');
    const windowLabel = String(row.window ?? '').trim();
    const window = parsePairWindow(windowLabel);
    if (!window) problem('window', `must be 单日, 单次就诊, 同一小时 or <N>小时, got ${JSON.stringify(row.window)}`);
    if (!mainCode || !subCode || mainCode === subCode || !window) return undefined;
    const mainName = String(row.main_name ?? mainCode);
    const subName = String(row.sub_name ?? subCode);
    return { name: `${mainName}/${subName}`, codes: [mainCode, subCode], mainCode, subCode, mainName, subName, window, windowLabel };
  },
  indexCodes(point) {
    return [[point.mainCode, 1], [point.subCode, 2]];
  },
  checkGroup(entries, point, _params, _ctx, emit) {
    for (const sub of entries) {
      if (sub.role !== 2) continue;
      let mains: OrderFact[] | undefined;
      for (const main of entries) {
        if (main.role === 1 && sameWindow(point.window, sub.order, main.order)) (mains ??= []).push(main.order);
      }
      if (mains) {
        emit(sub.order, mains, {
          main: point.mainName, sub: point.subName, window: point.windowLabel,
          limit: `「${point.mainName}」已含「${point.subName}」`, actual: formatDay(sub.order.beginDay), date: formatDay(sub.order.beginDay),
        });
      }
    }
  },
};
