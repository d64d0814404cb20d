import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngines } from '../support/engines.ts';
import { startTestApp, TestClient, pageText, type TestApp } from '../support/app-harness.ts';
import { createOrganisation, createStaff, type TestStaff } from '../support/factories.ts';

const [engine] = testEngines();

describe('a caseworker signs in, adds a person and opens their page', () => {
  let harness: TestApp;
  let caseworker: TestStaff;
  before(async () => {
    harness = await startTestApp(engine!);
    caseworker = await createStaff(harness.database, await createOrganisation(harness.database), 'caseworker');
  });
  after(() => harness.close());

  it('works end to end through the pages', async () => {
    const client = new TestClient(harness.app);
    await client.signIn(caseworker);
    const home = await client.get('/');
    assert.equal(home.statusCode, 200);
    assert.match(pageText(home.body), /Hello, Test caseworker/);
    const created = await client.post('/people', {
      givenNames: 'Ada',
      familyName: 'Example',
      'dateOfBirth-day': '3',
      'dateOfBirth-month': '4',
      'dateOfBirth-year': '2017',
      sex: 'female',
      indigenousStatus: 'not_yet_asked',
      interpreterRequired: 'not_known',
      languages: 'English, Auslan',
    });
    assert.equal(created.statusCode, 303, created.body.slice(0, 3000));
    const page = await client.get(created.headers.location!);
    assert.equal(page.statusCode, 200);
    const text = pageText(page.body);
    assert.match(text, /Ada Example/);
    assert.match(text, /3 April 2017/);
    assert.match(text, /Record created/);
    assert.match(text, /English, Auslan/);
  });
});
