import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApiToken } from '../../src/platform/auth/api-tokens.ts';
import { pageText, startTestApp, TestClient, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, personDetails, type TestStaff } from '../support/factories.ts';
import { auditActionsAboutUser, sessionCookieOf, withSessionCookie } from '../support/sign-in-steps.ts';

const NEW_PERSON = {
  givenNames: 'Forged',
  familyName: 'Request',
  'dateOfBirth-day': '3',
  'dateOfBirth-month': '4',
  'dateOfBirth-year': '2017',
  sex: 'female',
  indigenousStatus: 'not_yet_asked',
  interpreterRequired: 'not_known',
  languages: '',
};

for (const engine of testEngines()) {
  describe(`forms need their CSRF token [${engine.name}]`, () => {
    let harness: TestApp;
    let organisationId: string;
    let caseworker: TestStaff;
    before(async () => {
      harness = await startTestApp(engine);
      organisationId = await createOrganisation(harness.database);
      caseworker = await createStaff(harness.database, organisationId, 'caseworker');
    });
    after(() => harness.close());

    const peopleNamed = async (familyName: string) =>
      (await harness.database.db.selectFrom('people').select('id').where('family_name', '=', familyName).execute()).length;

    const assertFormExpired = (response: { statusCode: number; body: string; headers: Record<string, unknown> }) => {
      assert.equal(response.statusCode, 403);
      assert.match(response.headers['content-type'] as string, /^text\/html/);
      assert.match(pageText(response.body), /This form has expired/);
    };

    it('refuses a POST without the _csrf token with "This form has expired", and writes nothing', async () => {
      const client = new TestClient(harness.app);
      await client.signIn(caseworker);
      const response = await client.post('/people', { ...NEW_PERSON, familyName: 'NoToken' }, { csrf: false });
      assertFormExpired(response);
      assert.equal(await peopleNamed('NoToken'), 0);
    });

    it('refuses a POST with a wrong token, and writes nothing', async () => {
      const client = new TestClient(harness.app);
      await client.signIn(caseworker);
      const response = await client.post('/people', { ...NEW_PERSON, familyName: 'WrongToken', _csrf: 'not-a-real-token' }, { csrf: false });
      assertFormExpired(response);
      assert.equal(await peopleNamed('WrongToken'), 0);
    });

    it("refuses a token that was issued to another browser (another browser's secret)", async () => {
      const victim = new TestClient(harness.app);
      await victim.signIn(caseworker);
      const attacker = new TestClient(harness.app);
      const page = await attacker.get('/sign-in');
      const attackersToken = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      assert.ok(attackersToken);
      const response = await victim.post('/people', { ...NEW_PERSON, familyName: 'OtherToken', _csrf: attackersToken }, { csrf: false });
      assertFormExpired(response);
      assert.equal(await peopleNamed('OtherToken'), 0);
    });

    it('accepts the same form with the token the page gave (the control)', async () => {
      const client = new TestClient(harness.app);
      await client.signIn(caseworker);
      const response = await client.post('/people', { ...NEW_PERSON, familyName: 'WithToken' });
      assert.equal(response.statusCode, 303);
      assert.equal(await peopleNamed('WithToken'), 1);
    });

    it('protects the sign-in form itself, so nobody can sign a browser in to their account (login CSRF)', async () => {
      const client = new TestClient(harness.app);
      const response = await client.post('/sign-in', { email: caseworker.email, password: caseworker.password }, { csrf: false });
      assertFormExpired(response);
      assert.equal(sessionCookieOf(response), undefined);
      const other = await createStaff(harness.database, organisationId, 'caseworker');
      const forged = await new TestClient(harness.app).post('/sign-in', { email: other.email, password: other.password }, { csrf: false });
      assertFormExpired(forged);
      assert.deepEqual(await auditActionsAboutUser(harness.database, other.id), [], 'the password was never checked');
    });
  });

  describe(`the API takes bearer tokens, never cookies [${engine.name}]`, () => {
    let harness: TestApp;
    let caseworker: TestStaff;
    let sessionToken: string;
    let apiToken: string;
    let personId: string;
    before(async () => {
      harness = await startTestApp(engine);
      const organisationId = await createOrganisation(harness.database);
      caseworker = await createStaff(harness.database, organisationId, 'caseworker');
      apiToken = await createApiToken(harness.database.db, caseworker.id, 'csrf test');
      const client = new TestClient(harness.app);
      sessionToken = sessionCookieOf(await client.post('/sign-in', { email: caseworker.email, password: caseworker.password }))!;
      const created = await client.post('/people', { ...NEW_PERSON, familyName: 'Known' });
      personId = /\/people\/([0-9a-f-]{36})/.exec(created.headers.location ?? '')![1]!;
    });
    after(() => harness.close());

    it('answers 401 to a session cookie alone on GET /api/v1/people/{id}', async () => {
      const response = await harness.app.inject({ method: 'GET', url: `/api/v1/people/${personId}`, headers: withSessionCookie(sessionToken) });
      assert.equal(response.statusCode, 401);
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="hearth"');
      assert.equal(response.json<{ error: string }>().error, 'unauthorised');
      assert.ok(!response.body.includes('Known'));
    });

    it('answers 401, not a CSRF error, to a cookie-only POST, and writes nothing', async () => {
      const response = await harness.app.inject({
        method: 'POST',
        url: '/api/v1/people',
        headers: withSessionCookie(sessionToken),
        payload: personDetails({ familyName: 'CookieOnly' }),
      });
      assert.equal(response.statusCode, 401);
      const rows = await harness.database.db.selectFrom('people').select('id').where('family_name', '=', 'CookieOnly').execute();
      assert.deepEqual(rows, []);
    });

    it('needs no CSRF token with a bearer token', async () => {
      const read = await harness.app.inject({ method: 'GET', url: `/api/v1/people/${personId}`, headers: { authorization: `Bearer ${apiToken}` } });
      assert.equal(read.statusCode, 200);
      const created = await harness.app.inject({
        method: 'POST',
        url: '/api/v1/people',
        headers: { authorization: `Bearer ${apiToken}` },
        payload: personDetails({ familyName: 'ByToken' }),
      });
      assert.equal(created.statusCode, 201, created.body);
      const rows = await harness.database.db.selectFrom('people').select('id').where('family_name', '=', 'ByToken').execute();
      assert.equal(rows.length, 1);
    });
  });
}
