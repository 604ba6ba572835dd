import t from 'tap';
import { jobFailureText } from './job-runner.js';

t.test('a failed job shows a stable code, never the driver’s text (issue 10 #22)', async (t) => {
  const pg = Object.assign(new Error('password authentication failed for user "his_reader" (host 10.1.2.3)'), { code: '28P01' });
  t.equal(jobFailureText(pg), '审核任务失败（28P01），详情见服务日志');
  const net = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:1521'), { code: 'ECONNREFUSED' });
  t.notMatch(jobFailureText(net), /10\.1\.2\.3/);
  t.equal(jobFailureText(new TypeError('x is undefined in SELECT * FROM his.orders')), '审核任务失败（TypeError），详情见服务日志');
  t.equal(jobFailureText(Object.assign(new Error('e'), { code: 'no spaces allowed here' })), '审核任务失败（Error），详情见服务日志');
});
