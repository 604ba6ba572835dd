import t from 'tap';
import { testApp } from '../test-support/helpers.js';

// Needs packages/console/dist (built by `npm run build`, which turbo runs before the tests).
const app = await testApp({ apiKeys: { 'k-office-0123456789': 'insurance-office' } });
t.teardown(() => app.close());

t.test('GET /console/ serves the single-page app without a key', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/console/' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/html/);
  t.match(res.body, /<div id="app"><\/div>/);
  t.equal(res.headers['cache-control'], 'no-cache');
});

t.test('client-side routes fall back to index.html; /console redirects', async (t) => {
  const deep = await app.inject({ method: 'GET', url: '/console/review?job_id=x' });
  t.equal(deep.statusCode, 200);
  t.match(deep.body, /<div id="app"><\/div>/);
  const bare = await app.inject({ method: 'GET', url: '/console' });
  t.equal(bare.statusCode, 302);
  t.equal(bare.headers.location, '/console/');
});

t.test('the reminder script and the doctor-station demo', async (t) => {
  const js = await app.inject({ method: 'GET', url: '/console/reminder.js' });
  t.equal(js.statusCode, 200);
  t.match(js.headers['content-type'], /javascript/);
  t.match(js.body, /preauditReminder/);
  t.match(js.body, /医保智能审核提醒/);
  const demo = await app.inject({ method: 'GET', url: '/console/demo/doctor-station' });
  t.equal(demo.statusCode, 200);
  t.match(demo.body, /reminder\.js/);
});

t.test('a missing file is a 404 in the service error shape, not the app; the API still needs its key', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/console/assets/nope.js' });
  t.equal(res.statusCode, 404);
  t.equal(res.json().code, 'PA_NOT_FOUND');
  const up = await app.inject({ method: 'GET', url: '/console/..%2Fpackage.json' });
  t.not(up.statusCode, 200);
  const api = await app.inject({ method: 'GET', url: '/v1/audit-jobs' });
  t.equal(api.statusCode, 401);
});
