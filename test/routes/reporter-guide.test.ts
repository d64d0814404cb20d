import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngines } from '../support/engines.ts';
import { startTestApp, TestClient, pageText, type TestApp } from '../support/app-harness.ts';
import { checkedValue, formFields } from '../support/html.ts';

const [engine] = testEngines();

describe("the reporter's guide pages (no account)", () => {
  let harness: TestApp;
  before(async () => {
    harness = await startTestApp(engine!);
  });
  after(() => harness.close());

  /** Answers the page at `url` as a browser would (its hidden fields and the chosen radio); returns where it leads. */
  async function answer(client: TestClient, url: string, choice: string): Promise<string> {
    const page = await client.get(url);
    assert.equal(page.statusCode, 200, url);
    const action = url.split('?')[0]!;
    const response = await client.post(action, { ...formFields(page.body, action), answer: choice });
    assert.equal(response.statusCode, 303, pageText(response.body).slice(0, 500));
    return response.headers.location!;
  }

  it('opens with the start page and the emergency number, without signing in', async () => {
    const client = new TestClient(harness.app);
    const start = await client.get('/report');
    assert.equal(start.statusCode, 200);
    assert.match(pageText(start.body), /If a child is in immediate danger, call 000 now/);
    assert.match(start.body, /href="\/report\/guide\/danger"/);
  });

  it('stops at "call 000" when a child is in immediate danger', async () => {
    const client = new TestClient(harness.app);
    const next = await answer(client, '/report/guide/danger', 'yes');
    assert.equal(next, '/report/guide/call-000');
    const page = await client.get(next);
    assert.match(pageText(page.body), /Call 000 now/);
    assert.doesNotMatch(page.body, /<form/, 'the guide stops there');
  });

  it('goes question by question to a recommendation with its reason and the answer that decided it', async () => {
    const client = new TestClient(harness.app);
    let url = await answer(client, '/report/guide/danger', 'no');
    for (const choice of ['basic-needs', 'pattern', 'with-help', 'no']) url = await answer(client, url, choice);
    assert.match(url, /^\/report\/guide\/recommendation\?/);
    const page = await client.get(url);
    const text = pageText(page.body);
    assert.match(text, /Report to the Child Protection Helpline now/);
    assert.match(text, /the law asks you to report this/);
    assert.match(text, /It keeps happening, or it is getting worse \(this led to the recommendation\)/);
    assert.match(text, /13 21 11/);
  });

  it('lets an answer be changed without losing the others', async () => {
    const client = new TestClient(harness.app);
    const all = '/report/guide/recommendation?danger=no&concern=basic-needs&harm=pattern&protection=with-help&vulnerability=no';
    const page = await client.get(all);
    const change = /href="(\/report\/guide\/harm\?[^"]+)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
    const harmPage = await client.get(change);
    assert.equal(checkedValue(harmPage.body, 'answer'), 'pattern', 'the earlier answer is shown');
    assert.match(harmPage.body, /<a href="\/report\/guide\/recommendation\?[^"]*" class="govuk-back-link/, 'Back returns to the answers');
    const next = await answer(client, change, 'struggling');
    assert.match(next, /^\/report\/guide\/recommendation\?/, 'straight back to the recommendation');
    assert.match(pageText((await client.get(next)).body), /Refer the family to support services/);
  });

  it('shows a GOV.UK error summary when nothing is chosen, keeping the answers so far', async () => {
    const client = new TestClient(harness.app);
    const url = '/report/guide/harm?danger=no&concern=education';
    const page = await client.get(url);
    const response = await client.post('/report/guide/harm', formFields(page.body, '/report/guide/harm'));
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /govuk-error-summary/);
    assert.match(pageText(response.body), /There is a problem.*Select how serious it is/s);
    assert.match(response.body, /href="#answer"/);
    assert.deepEqual(formFields(response.body, '/report/guide/harm'), { danger: 'no', concern: 'education' });
    const forged = await client.post('/report/guide/harm', { danger: 'no', concern: 'education', answer: '<script>alert(1)</script>' });
    assert.equal(forged.statusCode, 400);
    assert.doesNotMatch(forged.body, /<script>alert/);
  });

  it('works for a browser that refuses cookies: an answer changes nothing, so it needs no CSRF token', async () => {
    const response = await harness.app.inject({ method: 'POST', url: '/report/guide/danger', payload: 'answer=no', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/report/guide/concern?danger=no');
    const staffForm = await harness.app.inject({ method: 'POST', url: '/sign-in', payload: 'email=a%40b.example&password=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(staffForm.statusCode, 403, 'other forms still need their token');
  });

  it('sends a page reached without the answers before it back to the first one missing, and refuses unknown steps', async () => {
    const client = new TestClient(harness.app);
    const skipped = await client.get('/report/guide/protection?danger=no&concern=education');
    assert.equal(skipped.statusCode, 303);
    assert.equal(skipped.headers.location, '/report/guide/harm?danger=no&concern=education');
    const early = await client.get('/report/guide/recommendation?danger=no');
    assert.equal(early.headers.location, '/report/guide/concern?danger=no');
    const posted = await client.post('/report/guide/vulnerability', { danger: 'no', answer: 'yes' });
    assert.equal(posted.headers.location, '/report/guide/concern?danger=no');
    assert.equal((await client.get('/report/guide/nonsense')).statusCode, 404);
  });
});
