import type { EncounterFact, OrderFact } from '../model/facts.js';

/**
 * Whether an order is a herbal-slice (中药饮片) line: catalogue type 102, or a national code of
 * the herbal-slice catalogue (T + digits) when the HIS sent no hilist_type.
 */
function isHerbOrder(order: OrderFact): boolean {
  const type = order.dto.hilist_type;
  if (type !== undefined && type !== '') return type === '102';
  return order.code.length > 1 && order.code.charCodeAt(0) === 84 /* T */ && order.code.charCodeAt(1) >= 48 && order.code.charCodeAt(1) <= 57;
}

/**
 * The herbal prescriptions of one encounter (one mdtrt_id): its current herbal orders grouped by
 * 处方号 `rxno`; orders without one are grouped by their begin day (one day's herbs are one
 * prescription when the HIS does not number them). History orders are not part of a prescription
 * being checked. One pass over the encounter's orders.
 */
export function herbPrescriptions(enc: EncounterFact): readonly OrderFact[][] {
  // Each rule that reads prescriptions (单方使用, 配伍禁忌) shares one grouping per encounter.
  let found = enc.herbPrescriptions;
  if (found) return found;
  // Most encounters have no herbal line: answer them without building anything.
  let first = -1;
  const orders = enc.orders;
  for (let i = 0; i < orders.length; i++)
    if (orders[i].current && isHerbOrder(orders[i])) {
      first = i;
      break;
    }
  found = first < 0 ? NONE : group(orders, first);
  enc.herbPrescriptions = found;
  return found;
}

const NONE: readonly OrderFact[][] = Object.freeze([]);

function group(orders: readonly OrderFact[], first: number): OrderFact[][] {
  const byKey = new Map<string, OrderFact[]>();
  for (let i = first; i < orders.length; i++) {
    const o = orders[i];
    if (!o.current || !isHerbOrder(o)) continue;
    const rxno = o.dto.rxno;
    const key = rxno !== undefined && rxno !== '' ? `rx:${rxno}` : `day:${o.beginDay}`;
    const list = byKey.get(key);
    if (list) list.push(o);
    else byKey.set(key, [o]);
  }
  return [...byKey.values()];
}

/** The name an order shows: national name, else the hospital's own. */
export function orderName(order: OrderFact): string {
  return order.dto.hilist_name ?? order.dto.hosplist_name ?? '';
}

/**
 * Whether the fund is not asked to pay the order at all: its 自费金额 `ownpay_amt` covers its whole
 * amount (the patient pays it out of pocket). A 不予支付 finding on such a line would be moot.
 */
export function isSelfPaid(order: OrderFact): boolean {
  const own = order.dto.ownpay_amt;
  return own !== undefined && order.amountKnown && order.amount > 0 && own >= order.amount;
}
