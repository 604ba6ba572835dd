import type { OrderFact } from '../model/facts.js';
import { noParams, readList, type PointBase, type TemplateDef, readText } from './template.js';
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

interface PairLookup {
  /** National code → the sides (pair index * 2 + 0 for a, 1 for b) that list it. */
  byCode: ReadonlyMap<string, readonly number[]>;
  /** First character of a side name → the names starting with it and their side. */
  byChar: ReadonlyMap<string, ReadonlyArray<{ name: string; hit: number }>>;
}

/**
 * 中药饮片配伍禁忌: two herbs of one incompatible pair (十八反, 十九畏) in one prescription (see
 * {@link herbPrescriptions}). An herb belongs to a side by its national T-code or by a side name
 * found in its order name (炙甘草 is 甘草, 法半夏 is 半夏). Every herb of either side offends, once,
 * naming every pair it is in; the other side's herbs are its 涉及项. Per herb: one code look-up and a scan
 * of its name's characters against the side names that start with each, so a prescription costs
 * linear time whatever the size of the pair table.
 */
export const prescriptionPair: TemplateDef<PairPoint, Record<string, never>, PairLookup> = {
  name: 'prescription-pair',
  columns: ['a_names', 'b_names'],
  pairTable: true,
  compileParams: noParams,
  compilePoint(row, _params, problem) {
    const side = (key: 'a' | 'b'): Side | undefined => {
      const names = readList(row[`${key}_names`]);
      const codes = readList(row[`${key}_codes`]);
      if (names.length === 0 && codes.length === 0) {
        problem(`${key}_names`, 'the side needs names or codes');
        return undefined;
      }
      return { label: readText(row[`${key}_label`] ?? names[0] ?? codes[0]), names, codes: new Set(codes), exclude: readList(row[`${key}_exclude`]) };
    };
    const a = side('a');
    const b = side('b');
    const name = typeof row.name === 'string' && row.name.trim() ? row.name.trim() : a && b ? `${a.label}—${b.label}` : '';
    if (!a || !b) return undefined;
    return { name, codes: [...a.codes, ...b.codes], kind: readText(row.kind), a, b };
  },
  buildLookup(points) {
    const byCode = new Map<string, number[]>();
    const byChar = new Map<string, Array<{ name: string; hit: number }>>();
    points.forEach((p, i) => {
      for (const [k, side] of [
        [0, p.a],
        [1, p.b],
      ] as const) {
        const hit = i * 2 + k;
        for (const c of side.codes) {
          const l = byCode.get(c);
          if (l) l.push(hit);
          else byCode.set(c, [hit]);
        }
        for (const name of side.names) {
          const l = byChar.get(name.charAt(0));
          if (l) l.push({ name, hit });
          else byChar.set(name.charAt(0), [{ name, hit }]);
        }
      }
    });
    return { byCode, byChar };
  },
  checkEncounter(enc, rule, _ctx, emit) {
    const points = rule.points;
    const { byCode, byChar } = rule.lookup;
    for (const rx of herbPrescriptions(enc)) {
      if (rx.length < 2) continue;
      // Per pair, the herbs of each side in this prescription.
      const sides = new Map<number, [OrderFact[], OrderFact[]]>();
      for (const o of rx) {
        const name = orderName(o);
        // Sides the herb belongs to (pair * 2 + side): by code, then by a side name found in its
        // name (scanning the name's characters, so the cost does not grow with the table).
        const hits = new Set<number>(byCode.get(o.code));
        for (let c = 0; c < name.length; c++) {
          const entries = byChar.get(name.charAt(c));
          if (!entries) continue;
          for (const e of entries) {
            if (hits.has(e.hit) || !name.startsWith(e.name, c)) continue;
            const p = points[e.hit >> 1];
            const side = e.hit & 1 ? p.b : p.a;
            if (!side.exclude.some((x) => name.includes(x))) hits.add(e.hit);
          }
        }
        for (const hit of hits) {
          const p = hit >> 1;
          // An herb on both sides of one pair (never in the classical table) counts on side A.
          if ((hit & 1) === 1 && hits.has(hit - 1)) continue;
          if (!rule.inForce(p, o.beginMs)) continue;
          let s = sides.get(p);
          if (!s) sides.set(p, (s = [[], []]));
          s[hit & 1].push(o);
        }
      }
      // Per herb: the pairs it breaks and the other side of the first one.
      const hits = new Map<OrderFact, { pairs: number[]; others: OrderFact[] }>();
      for (const [p, [as, bs]] of sides) {
        if (as.length === 0 || bs.length === 0) continue;
        for (const [mine, others] of [
          [as, bs],
          [bs, as],
        ] as const) {
          for (const o of mine) {
            const h = hits.get(o);
            if (h) h.pairs.push(p);
            else hits.set(o, { pairs: [p], others });
          }
        }
      }
      for (const o of rx) {
        const h = hits.get(o);
        if (!h) continue;
        h.pairs.sort((x, y) => x - y);
        const names = h.pairs.map((p) => points[p].name);
        const kinds = [...new Set(h.pairs.map((p) => points[p].kind).filter(Boolean))];
        const other = h.others.map(orderName).filter(Boolean);
        emit(names.join('；'), o, h.others, {
          pair: names.join('；'),
          kind: kinds.join('、'),
          other: [...new Set(other)].slice(0, 5).join('、'),
          limit: `${kinds.join('、') || '配伍禁忌'}：${names.join('；')}`,
          actual: '同一处方',
        });
      }
    }
  },
};
