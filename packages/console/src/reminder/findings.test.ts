import { describe, expect, it } from 'vitest';
import { evidenceParts, reminderItems } from './findings.js';

describe('reminderItems', () => {
  it('pulls item, limit and code out of the evidence and sorts by severity', () => {
    const items = reminderItems([
      { jr_id: 'b', rule_id: 'R2', rule_name: '轻度规则', sev_deg: '3', vola_evid: '项目：甲；限定：住院', vola_amt: 1 },
      {
        jr_id: 'a',
        rule_id: 'GZ10000301004000',
        rule_name: '药品区分性别使用',
        sev_deg: '1',
        vola_cont: '限男性',
        vola_evid: '知识点：比卡鲁胺片；医保编码：XL02BBB085A001010100662；项目：比卡鲁胺片；限定：男性；实际：女',
        vola_amt: 35.5,
        judge_result_detail_dtos: [{ rx_id: 'RX01' }],
      },
      { jr_id: 'c', rule_name: '无等级', vola_evid: '' },
    ]);
    expect(items.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(items[0]).toMatchObject({ severityText: '明确违规', item: '比卡鲁胺片', limit: '男性', amount: 35.5, rxIds: ['RX01'] });
    expect(items[0].basis).toContain('GZ10000301004000');
    expect(items[0].basis).toContain('XL02BBB085A001010100662');
    expect(items[2]).toMatchObject({ severity: '3', severityText: '轻度可疑', item: '', limit: '' });
  });

  it('evidenceParts accepts full-width and ASCII separators', () => {
    expect(evidenceParts('项目:甲;限定：男性')).toEqual({ 项目: '甲', 限定: '男性' });
    expect(evidenceParts(undefined)).toEqual({});
  });
});
