import type { OrderFact } from '../evaluate/facts.js';
import { noParams, readList, type PointBase, type TemplateDef } from './template.js';
import { herbPrescriptions, orderName } from './prescription.js';

/** One side of an incompatible pair: national codes, and herb names matched inside order names. */
interface Side {
  label: string;
  codes: ReadonlySet<string>;
  names: readonly string[];
  /** Names that contain a side name but are another herb (白附子 is not 附子). */
  exclude: readonly string[];
}

interface PairPoint extends PointBase {
  kind: string;
  a: Side;
  b: Side;
}

function matches(side: Side, order: OrderFact, name: string): boolean {
  if (side.codes.has(order.code)) return true;
  if (!name) return false;
  for (const x of side.exclude) if (name.includes(x)) return false;
  for (const n of side.names) if (name.includes(n)) return true;
  return false;
}

/**
 * 中药饮片配伍禁忌: two herbs of one incompatible pair (十八反, 十九畏) in one prescription (see
 * {@link herbPrescriptions}). An herb belongs to a side by its national T-code or by a side name
 * found in its order name (炙甘草 is 甘草, 法半夏 is 半夏). Every herb of either side offends, once,
 * naming every pair it is in; the other side's herbs are its 涉及项. Per herb: a constant number of
 * checks (the pair table is fixed), so a prescription costs linear time.
 */
export const prescriptionPair: TemplateDef<PairPoint, Record<string, never>> = {
  name: 'prescription-pair',
  columns: ['a_names', 'b_names'],
  pairTable: true,
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const side = (key: 'a' | 'b'): Side | undefined => {
      const names = readList(row[`${key}_names`]);
      const codes = readList(row[`${key}_codes`]);
      if (names.length === 0 && codes.length === 0) { problem(`${key}_names`, 'the side needs names or codes'); return undefined; }
      return { label: String(row[`${key}_label`] ?? names[0] ?? codes[0]), names, codes: new Set(codes), exclude: readList(row[`${key}_exclude`]) };
    };
    const a = side('a');
    const b = side('b');
    const name = typeof row.name === 'string' && row.name.trim() ? row.name.trim() : a && b ? `${a.label}—${b.label}` : '';
    if (!a || !b) return undefined;
    return { name, codes: [...a.codes, ...b.codes], kind: String(row.kind ?? ''), a, b };
  },
  checkEncounter(enc, rule, _ctx, emit) {
    const points = rule.points;
    for (const rx of herbPrescriptions(enc)) {
      if (rx.length < 2) continue;
      // Per pair, the herbs of each side in this prescription.
      const sides = new Map<number, [OrderFact[], OrderFact[]]>();
      for (const o of rx) {
        const name = orderName(o);
        for (let p = 0; p < points.length; p++) {
          if (!rule.inForce(p, o.beginMs)) continue;
          const inA = matches(points[p].a, o, name);
          const inB = !inA && matches(points[p].b, o, name);
          if (!inA && !inB) continue;
          let s = sides.get(p);
          if (!s) sides.set(p, (s = [[], []]));
          s[inA ? 0 : 1].push(o);
        }
      }
      // Per herb: the pairs it breaks and the other side of the first one.
      const hits = new Map<OrderFact, { pairs: number[]; others: OrderFact[] }>();
      for (const [p, [as, bs]] of sides) {
        if (as.length === 0 || bs.length === 0) continue;
        for (const [mine, others] of [[as, bs], [bs, as]] as const) {
          for (const o of mine) {
            const h = hits.get(o);
            if (h) h.pairs.push(p); else hits.set(o, { pairs: [p], others });
          }
        }
      }
      for (const o of rx) {
        const h = hits.get(o);
        if (!h) continue;
        const names = h.pairs.map((p) => points[p].name);
        const kinds = [...new Set(h.pairs.map((p) => points[p].kind).filter(Boolean))];
        const other = h.others.map(orderName).filter(Boolean);
        emit(names.join('；'), o, h.others, {
          pair: names.join('；'), kind: kinds.join('、'), other: [...new Set(other)].slice(0, 5).join('、'),
          limit: `${kinds.join('、') || '配伍禁忌'}：${names.join('；')}`, actual: '同一处方',
        });
      }
    }
  },
};
