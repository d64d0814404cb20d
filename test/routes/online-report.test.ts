import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asSystem } from '../../src/db/tenancy.ts';
import { startTestApp, TestClient, pageText, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation } from '../support/factories.ts';
import { inputValue } from '../support/html.ts';
import { outboxRows, reportFields, reportRows } from '../support/reports.ts';

for (const engine of testEngines()) {
  describe(`the online report (${engine.name})`, () => {
    let harness: TestApp;
    before(async () => {
      harness = await startTestApp(engine, { env: { HEARTH_PUBLIC_URL: 'https://hearth.example.gov.au' } });
      await createOrganisation(harness.database, 'Front door organisation');
    });
    after(() => harness.close());

    async function newDraft(client: TestClient): Promise<string> {
      const start = await client.get('/report/online');
      assert.equal(start.statusCode, 303);
      const location = start.headers.location!;
      assert.match(location, /^\/report\/draft\/[A-Za-z0-9_-]{43}$/);
      const page = await client.get(location);
      assert.equal(page.statusCode, 200);
      return location;
    }

    it('keeps a half-filled report as a draft at a private link, never sent', async () => {
      const client = new TestClient(harness.app);
      const draft = await newDraft(client);
      const before = (await reportRows(harness.database)).length;
      const saved = await client.post(draft, { childCount: '1', 'child1-givenNames': 'Ava', whatHappened: 'Half a thought', action: 'save' });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `${draft}?saved=1`);
      const page = await client.get(saved.headers.location);
      assert.match(pageText(page.body), /Your report is saved\. It has not been sent yet\./);
      assert.ok(page.body.includes(`/report/draft/${draft.split('/').pop()}`), 'the private link is shown');
      // Another browser with the link resumes it.
      const elsewhere = await new TestClient(harness.app).get(draft);
      assert.equal(inputValue(elsewhere.body, 'child1-givenNames'), 'Ava');
      assert.match(elsewhere.body, /Half a thought<\/textarea>/);
      assert.equal((await reportRows(harness.database)).length, before, 'a draft is not a report');
    });

    it('sends an invalid report back with an error summary and every answer kept, saved as a draft', async () => {
      const client = new TestClient(harness.app);
      const draft = await newDraft(client);
      const before = (await reportRows(harness.database)).length;
      const fields = reportFields({ 'child1-dateOfBirth-month': '13', 'child2-concerns': [], whatHappened: '', 'reporter-email': 'not an email', 'child1-postcode': '21' });
      const response = await client.post(`${draft}/send`, fields);
      assert.equal(response.statusCode, 400);
      const text = pageText(response.body);
      assert.match(text, /There is a problem/);
      for (const message of ['Date of birth must be a real date', 'Enter a postcode of 4 digits', 'Select at least one concern about this child', 'Enter what you saw or heard', 'Enter an email address in the correct format']) {
        assert.match(text, new RegExp(message));
      }
      // In page order, each pointing at its box.
      const hrefs = [...response.body.matchAll(/<a href="#([^"]+)"/g)].map((m) => m[1]).filter((id) => id !== 'main-content');
      assert.deepEqual(hrefs.slice(0, 5), ['child1-dateOfBirth-day', 'child1-postcode', 'child2-concerns', 'whatHappened', 'reporter-email']);
      assert.equal(inputValue(response.body, 'child1-givenNames'), 'Mia');
      assert.equal(inputValue(response.body, 'child1-dateOfBirth-month'), '13');
      assert.equal((await reportRows(harness.database)).length, before);
      const again = await client.get(draft);
      assert.equal(inputValue(again.body, 'reporter-email'), 'not an email', 'the draft kept what was typed');
    });

    it('receives a whole report once, however often "Send" is pressed, with a reference, a status link and an email', async () => {
      const client = new TestClient(harness.app);
      const draft = await newDraft(client);
      const before = (await reportRows(harness.database)).length;
      const first = await client.post(`${draft}/send`, reportFields());
      assert.equal(first.statusCode, 303, pageText(first.body).slice(0, 400));
      assert.match(first.headers.location!, /^\/report\/status\/[A-Za-z0-9_-]{43}\?sent=1$/);
      const second = await client.post(`${draft}/send`, reportFields());
      assert.equal(second.headers.location, first.headers.location, 'the second press finds the same report');
      const reports = await reportRows(harness.database);
      assert.equal(reports.length, before + 1);
      const report = reports[reports.length - 1]!;
      assert.equal(report.channel, 'online');
      assert.equal(report.status, 'awaiting_screening');
      assert.match(report.reference, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      const children = await asSystem(harness.database.db, (trx) => trx.selectFrom('report_children').selectAll().where('report_id', '=', report.id).orderBy('position').execute());
      assert.deepEqual(
        children.map((c) => [c.given_names, c.date_of_birth, c.age_years, c.postcode, c.concerns]),
        [
          ['Mia', '2017-03-14', null, '2150', ['basic-needs', 'education']],
          ['Leo', null, 4, '2150', ['basic-needs']],
        ],
      );

      const status = await new TestClient(harness.app).get(first.headers.location!);
      const text = pageText(status.body);
      assert.match(text, new RegExp(`Your reference ${report.reference}`));
      assert.match(text, /Received: the helpline has your report/);
      assert.doesNotMatch(text, /Mia|Tomlinson|hungry/, 'the status page shows nothing the report said');

      const email = (await outboxRows(harness.database)).find((e) => e.body.includes(report.reference));
      assert.ok(email, 'an email is queued');
      assert.equal(email.to_address, 'jo.example@school.example');
      assert.ok(email.body.includes(`https://hearth.example.gov.au${first.headers.location!.replace('?sent=1', '')}`), 'the email carries the status link, at the configured address');
      assert.equal(email.sent_at, null);

      const sentDraft = await client.get(draft);
      assert.match(pageText(sentDraft.body), new RegExp(`This report has been sent.*${report.reference}`));
      const audit = await asSystem(harness.database.db, (trx) => trx.selectFrom('audit_events').select(['action']).where('record_id', '=', report.id).execute());
      assert.deepEqual(audit.map((a) => a.action), ['report.received']);
    });

    it("never takes an email's links from the request's Host header", async () => {
      const client = new TestClient(harness.app);
      const draft = await newDraft(client);
      const sent = await client.request({
        method: 'POST',
        url: `${draft}/send`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'evil.example' },
        payload: new URLSearchParams(Object.entries(reportFields({ 'reporter-email': 'target@school.example' })).flatMap(([k, v]) => [v].flat().map((one) => [k, one]))).toString(),
      });
      assert.equal(sent.statusCode, 303);
      const email = (await outboxRows(harness.database)).find((e) => e.to_address === 'target@school.example');
      assert.ok(email);
      assert.doesNotMatch(email.body, /evil\.example/);
      assert.match(email.body, /https:\/\/hearth\.example\.gov\.au\/report\/status\//);
    });

    it('saves and sends without a CSRF cookie: the private address is the secret', async () => {
      const client = new TestClient(harness.app);
      const draft = (await client.get('/report/online')).headers.location!;
      const saved = await client.post(draft, { childCount: '1', 'child1-givenNames': 'No cookies', action: 'save' }, { csrf: false });
      assert.equal(saved.statusCode, 303);
      assert.equal(inputValue((await client.get(draft)).body, 'child1-givenNames'), 'No cookies');
    });

    it('shows script typed into a field as text, never runs it', async () => {
      const client = new TestClient(harness.app);
      const draft = await newDraft(client);
      const response = await client.post(`${draft}/send`, reportFields({ 'child1-givenNames': '<script>alert(1)</script>', whatHappened: '' }));
      assert.equal(response.statusCode, 400);
      assert.ok(!response.body.includes('<script>alert(1)</script>'));
      assert.ok(response.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    });

    it('adds and removes a child without losing what was typed', async () => {
      const client = new TestClient(harness.app);
      const draft = await newDraft(client);
      const added = await client.post(draft, { childCount: '1', 'child1-givenNames': 'Ava', whatHappened: 'Kept', action: 'add-child' });
      assert.equal(added.statusCode, 303);
      const withTwo = await client.get(draft);
      assert.equal(inputValue(withTwo.body, 'child1-givenNames'), 'Ava');
      assert.ok(inputValue(withTwo.body, 'child2-givenNames') !== undefined, 'a second child section');
      await client.post(draft, { childCount: '2', 'child1-givenNames': 'Ava', 'child2-givenNames': 'Ben', whatHappened: 'Kept', action: 'remove-child-1' });
      const withOne = await client.get(draft);
      assert.equal(inputValue(withOne.body, 'child1-givenNames'), 'Ben');
      assert.equal(inputValue(withOne.body, 'child2-givenNames'), undefined);
      assert.match(withOne.body, /Kept<\/textarea>/);
    });

    it('saves in the background for the page script, answering JSON', async () => {
      const client = new TestClient(harness.app);
      const draft = await newDraft(client);
      const response = await client.post(draft, { childCount: '1', 'child1-familyName': 'Autosaved', action: 'autosave' });
      assert.equal(response.statusCode, 200);
      assert.ok(typeof (JSON.parse(response.body) as { savedAt: string }).savedAt === 'string');
      assert.equal(inputValue((await client.get(draft)).body, 'child1-familyName'), 'Autosaved');
    });

    it('keeps a report whose hidden field was filled, marked as possibly automated', async () => {
      const client = new TestClient(harness.app);
      const draft = await newDraft(client);
      const response = await client.post(`${draft}/send`, reportFields({ website: 'http://spam.example' }));
      assert.equal(response.statusCode, 303);
      const reports = await reportRows(harness.database);
      assert.equal(reports[reports.length - 1]!.suspected_automated, true);
    });

    it('refuses a link that is not a token, and a status link that does not exist', async () => {
      const client = new TestClient(harness.app);
      assert.equal((await client.get('/report/draft/not-a-token')).statusCode, 404);
      assert.equal((await client.get(`/report/status/${'A'.repeat(43)}`)).statusCode, 404);
    });
  });
}

const [engine] = testEngines();

describe('the online report, protected from floods', () => {
  let harness: TestApp;
  before(async () => {
    harness = await startTestApp(engine!, { env: { HEARTH_REPORT_SENDS_PER_HOUR: '2' } });
    await createOrganisation(harness.database);
  });
  after(() => harness.close());

  it('refuses a third send from one address within the hour', async () => {
    const client = new TestClient(harness.app);
    const codes: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const draft = (await client.get('/report/online')).headers.location!;
      await client.get(draft);
      codes.push((await client.post(`${draft}/send`, reportFields())).statusCode);
    }
    assert.deepEqual(codes, [303, 303, 429]);
    assert.equal((await reportRows(harness.database)).length, 2);
    // The refused report is kept as a draft, with what was typed, and the page says so.
    const draft = (await client.get('/report/online')).headers.location!;
    await client.get(draft);
    const refused = await client.post(`${draft}/send`, reportFields({ whatHappened: 'Kept although refused' }));
    assert.equal(refused.statusCode, 429);
    assert.match(pageText(refused.body), /Your report is saved, but not sent/);
    assert.match((await client.get(draft)).body, /Kept although refused<\/textarea>/);
  });
});

describe('the online report with no organisation to receive it', () => {
  let harness: TestApp;
  before(async () => {
    harness = await startTestApp(engine!);
  });
  after(() => harness.close());

  it('gives the helpline phone number instead', async () => {
    const client = new TestClient(harness.app);
    const draft = (await client.get('/report/online')).headers.location!;
    const page = await client.get(draft);
    assert.equal(page.statusCode, 503);
    assert.match(pageText(page.body), /Online reports are not open yet.*13 21 11/);
  });
});
