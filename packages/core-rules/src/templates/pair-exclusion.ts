import type { OrderFact } from '../model/facts.js';
import { formatDay } from '../model/dates.js';
import { noParams, type PointBase, type TemplateDef, readText } from './template.js';

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
function parsePairWindow(text: string): PairWindow | undefined {
  const t = text.trim();
  if (t === '单日' || t === '同一天' || t === '当日') return { kind: 'day' };
  if (t === '单次就诊' || t === '当次就诊') return { kind: 'encounter' };
  if (t === '同一小时') return { kind: 'clock-hour' };
  const m = /^(\d+(?:\.\d+)?)\s*(小时|h)$/i.exec(t);
  if (m && Number(m[1]) > 0) return { kind: 'hours', ms: Number(m[1]) * HOUR };
  return undefined;
}

/**
 * Key of an equality window (orders pair when their keys are equal); undefined for the sliding
 * N-hour window.
 */
function windowKey(w: PairWindow, o: OrderFact): unknown {
  switch (w.kind) {
    case 'day':
      return o.beginDay;
    // One encounter is one mdtrt_id, even when a HIS sends it as several encounter entries.
    case 'encounter':
      return o.enc.dto.mdtrt_id;
    case 'clock-hour':
      return Math.floor(o.beginMs / HOUR);
    case 'hours':
      return undefined;
  }
}

/**
 * 医疗服务项目重复收费: the sub item is billed with the main item that includes it, within the
 * pair's window (same day; same encounter, i.e. the same mdtrt_id; begin times at most N hours
 * apart, exactly N included, as 以内 reads; or the same clock hour). The sub-item order is 违规项,
 * the main-item orders 涉及项.
 */
export const pairExclusion: TemplateDef<PairPoint, Record<string, never>> = {
  name: 'pair-exclusion',
  columns: ['main_code', 'sub_code', 'window'],
  pairTable: true,
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const mainCode = readText(row.main_code).trim();
    const subCode = readText(row.sub_code).trim();
    if (!mainCode) problem('main_code', 'is required');
    if (!subCode) problem('sub_code', 'is required');
    if (mainCode && mainCode === subCode) problem('sub_code', 'must differ from main_code');
    const windowLabel = readText(row.window).trim();
    const window = parsePairWindow(windowLabel);
    if (!window) problem('window', `must be 单日, 单次就诊, 同一小时 or <N>小时, got ${JSON.stringify(row.window)}`);
    if (!mainCode || !subCode || mainCode === subCode || !window) return undefined;
    const mainName = readText(row.main_name ?? mainCode);
    const subName = readText(row.sub_name ?? subCode);
    return { name: `${mainName}/${subName}`, codes: [mainCode, subCode], mainCode, subCode, mainName, subName, window, windowLabel };
  },
  indexCodes(point) {
    return [
      [point.mainCode, 1],
      [point.subCode, 2],
    ];
  },
  checkGroup(entries, point, _params, _ctx, emit) {
    // Linear in the orders: the main items are grouped once (by window key, or kept in time order
    // for the sliding window) and each sub item reads its group or range, never every pair.
    const mains: OrderFact[] = [];
    for (const e of entries) if (e.role === 1) mains.push(e.order);
    if (mains.length === 0) return;
    const w = point.window;
    const vars = (sub: OrderFact) => ({
      main: point.mainName,
      sub: point.subName,
      window: point.windowLabel,
      limit: `「${point.mainName}」已含「${point.subName}」`,
      actual: formatDay(sub.beginDay),
      date: formatDay(sub.beginDay),
    });
    if (w.kind === 'hours') {
      // Entries come in begin-time order: the mains at most N hours from a sub item form a
      // contiguous range that only moves forward.
      let lo = 0;
      let hi = 0;
      for (const { order: sub, role } of entries) {
        if (role !== 2) continue;
        while (lo < mains.length && mains[lo].beginMs < sub.beginMs - w.ms) lo++;
        if (hi < lo) hi = lo;
        while (hi < mains.length && mains[hi].beginMs <= sub.beginMs + w.ms) hi++;
        if (hi > lo) emit(sub, mains, vars(sub), lo, hi);
      }
      return;
    }
    const byKey = new Map<unknown, OrderFact[]>();
    for (const m of mains) {
      const key = windowKey(w, m);
      const list = byKey.get(key);
      if (list) list.push(m);
      else byKey.set(key, [m]);
    }
    for (const { order: sub, role } of entries) {
      if (role !== 2) continue;
      const list = byKey.get(windowKey(w, sub));
      if (list) emit(sub, list, vars(sub));
    }
  },
};
