/**
 * Order lines shared by the test envelopes (test support only).
 */

/**
 * A 阿帕他胺片 order line: a male-only drug, so 药品区分性别使用 fires for a woman.
 * `extra` fields (department, doctor, flags) come after the common ones.
 */
export function apalutamideOrder(rx_id: string, drord_begn_date: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    rx_id,
    hilist_code: 'XL02BBA326A001010102180',
    hilist_name: '阿帕他胺片',
    cnt: 1,
    pric: 100,
    sumamt: 100,
    drord_begn_date,
    ...extra,
  };
}
