import t from 'tap';
import { parseFeedback } from './feedback.js';

const refusal = (data: unknown) => {
  try {
    parseFeedback(data);
  } catch (err) {
    const e = err as { code: string; fields: Array<{ field: string; message: string }> };
    return { code: e.code, fields: e.fields.map((f) => `${f.field}: ${f.message}`) };
  }
  throw new Error('accepted');
};

t.test('legacy camelCase keys and numeric codes read as the national fields', async (t) => {
  t.same(
    parseFeedback({
      warnType: 1,
      warns: [
        { warnRsltId: ' A-1 ', dspoWay: 1, dspoWayRea: '病情需要' },
        { warn_rslt_id: 'A-2', dspo_way: '2' },
      ],
    }),
    [
      { field: 'input.data.warns[0].warn_rslt_id', jr_id: 'A-1', warn_type: '1', dspo_way: '1', dspo_way_rea: '病情需要' },
      { field: 'input.data.warns[1].warn_rslt_id', jr_id: 'A-2', warn_type: '1', dspo_way: '2', dspo_way_rea: null },
    ],
  );
});

t.test('every bad field is named at once, with its own message', async (t) => {
  t.same(refusal({ warn_type: '3', warns: [5, { warn_rslt_id: 'x'.repeat(81), dspo_way: null }, { warn_rslt_id: 'a\u0000b', dspo_way: '7' }] }), {
    code: 'PA_BAD_INPUT',
    fields: [
      'input.data.warn_type: 取值应为 1(事前)/2(事中)',
      'input.data.warns[0]: 应为对象',
      'input.data.warns[1].dspo_way: 缺少必填字段',
      'input.data.warns[1].warn_rslt_id: 长度超过 80',
      'input.data.warns[2].warn_rslt_id: must not contain a NUL character (\\u0000)',
      'input.data.warns[2].dspo_way: 取值应为 1(继续执行)/2(返回修改)',
    ],
  });
  t.same(refusal({ warns: [] }).fields, ['input.data.warns: 应为非空数组']);
  t.same(refusal([]).fields, ['input.data: 应为对象']);
});

t.test('继续执行 without a reason is its own refusal code', async (t) => {
  t.same(refusal({ warns: [{ warn_rslt_id: 'A', dspo_way: '1', dspo_way_rea: '  ' }] }), {
    code: 'PA_REASON_REQUIRED',
    fields: ['input.data.warns[0].dspo_way_rea: 继续执行(dspo_way=1)时必须填写原因'],
  });
  t.equal(refusal({ warns: [{ warn_rslt_id: 'A', dspo_way: '1' }, { dspo_way: '2' }] }).code, 'PA_BAD_INPUT', 'with other problems it is a plain bad input');
});
