import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pageText, startTestApp, TestClient, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, nextTotpCode } from '../support/factories.ts';
import {
  auditActionsAboutUser,
  auditRowsAboutUser,
  currentTimeStep,
  mfaSecretOnPage,
  sessionCookieOf,
  sessionRowsOf,
  totpCodeAt,
  wrongTotpCode,
} from '../support/sign-in-steps.ts';

const SECRET_AS_SHOWN = /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/;

for (const engine of testEngines()) {
  describe(`an administrator must set up two-step verification [${engine.name}]`, () => {
    let harness: TestApp;
    let organisationId: string;
    before(async () => {
      harness = await startTestApp(engine);
      organisationId = await createOrganisation(harness.database);
    });
    after(() => harness.close());

    it('sends the administrator to /sign-in/set-up-code and keeps every other page closed until they enrol', async () => {
      assert.deepEqual(harness.config.auth.mfaRequiredRoles, ['administrator'], 'the default');
      const admin = await createStaff(harness.database, organisationId, 'administrator');
      const client = new TestClient(harness.app);
      const signedIn = await client.post('/sign-in', { email: admin.email, password: admin.password });
      assert.equal(signedIn.statusCode, 303);
      assert.equal(signedIn.headers.location, '/sign-in/set-up-code?returnTo=%2F');
      const [session] = await sessionRowsOf(harness.database, admin.id);
      assert.equal(session?.stage, 'mfa_enrolment');
      assert.deepEqual(await auditActionsAboutUser(harness.database, admin.id), [], 'not signed in yet');

      for (const url of ['/audit', '/', '/account', '/people', '/account/set-up-code', '/sign-in/code']) {
        const response = await client.get(url);
        assert.equal(response.statusCode, 303, url);
        assert.equal(response.headers.location, '/sign-in/set-up-code', url);
      }
      const apiWithCookie = await client.get('/api/v1/openapi.json');
      assert.equal(apiWithCookie.statusCode, 200, 'public API documents stay public');

      const setUp = await client.get('/sign-in/set-up-code');
      assert.equal(setUp.statusCode, 200);
      assert.match(pageText(setUp.body), /Your role needs a second step when you sign in/);
      assert.match(setUp.body, /<svg/, 'a QR code drawn on the server');
      const shown = mfaSecretOnPage(setUp.body);
      assert.match(shown, SECRET_AS_SHOWN, 'the key is shown in groups of four');
      assert.equal(mfaSecretOnPage((await client.get('/sign-in/set-up-code')).body), shown, 'a reload shows the same key');
      const secret = shown.replace(/ /g, '');

      const wrong = await client.post('/sign-in/set-up-code', { code: await wrongTotpCode(secret) });
      assert.equal(wrong.statusCode, 400);
      assert.match(pageText(wrong.body), /There is a problem The code is not correct/);
      assert.equal(mfaSecretOnPage(wrong.body), shown, 'the same key, to try again');
      assert.equal((await client.get('/audit')).headers.location, '/sign-in/set-up-code', 'still closed');

      const pendingCookie = sessionCookieOf(signedIn);
      const right = await client.post('/sign-in/set-up-code', { code: await totpCodeAt(secret, currentTimeStep()) });
      assert.equal(right.statusCode, 303);
      assert.equal(right.headers.location, '/');
      const activeCookie = sessionCookieOf(right);
      assert.ok(activeCookie);
      assert.notEqual(activeCookie, pendingCookie, 'a new session after the second factor');

      const audit = await client.get('/audit');
      assert.equal(audit.statusCode, 200, 'enrolled: the audit pages open');
      const user = await harness.database.db.selectFrom('users').selectAll().where('id', '=', admin.id).executeTakeFirstOrThrow();
      assert.equal(user.mfa_secret, secret, 'the key shown is the key kept');
      assert.ok(user.mfa_enabled_at);
      const rows = await auditRowsAboutUser(harness.database, admin.id);
      assert.deepEqual(rows, [
        { action: 'user.sign_in_failed', details: { factor: 'code' } },
        { action: 'user.mfa_enrolled', details: {} },
        { action: 'user.signed_in', details: {} },
      ]);
    });

    it('refuses a code that is not six digits, without counting it as a failure', async () => {
      const admin = await createStaff(harness.database, organisationId, 'administrator');
      const client = new TestClient(harness.app);
      await client.post('/sign-in', { email: admin.email, password: admin.password });
      await client.get('/sign-in/set-up-code');
      const response = await client.post('/sign-in/set-up-code', { code: 'abc123' });
      assert.equal(response.statusCode, 400);
      assert.match(pageText(response.body), /The code must be 6 digits, like 123456/);
      const empty = await client.post('/sign-in/set-up-code', { code: '' });
      assert.match(pageText(empty.body), /Enter the 6-digit code from your authenticator app/);
      assert.deepEqual(await auditActionsAboutUser(harness.database, admin.id), []);
    });
  });

  describe(`signing in with a second factor [${engine.name}]`, () => {
    let harness: TestApp;
    let organisationId: string;
    before(async () => {
      harness = await startTestApp(engine);
      organisationId = await createOrganisation(harness.database);
    });
    after(() => harness.close());

    it('asks a user who has a second factor for a code, refuses a wrong one and lets the right one in', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker', { mfa: true });
      const client = new TestClient(harness.app);
      const password = await client.post('/sign-in', { email: staff.email, password: staff.password, returnTo: '/account' });
      assert.equal(password.statusCode, 303);
      assert.equal(password.headers.location, '/sign-in/code?returnTo=%2Faccount');
      assert.equal((await client.get('/')).headers.location, '/sign-in/code', 'nothing else opens before the code');
      assert.equal((await client.get('/sign-in/set-up-code')).headers.location, '/sign-in/code');
      const codePage = await client.get('/sign-in/code?returnTo=%2Faccount');
      assert.equal(codePage.statusCode, 200);
      assert.match(codePage.body, /name="returnTo" value="\/account"/);

      const wrong = await client.post('/sign-in/code', { code: await wrongTotpCode(staff.mfaSecret!), returnTo: '/account' });
      assert.equal(wrong.statusCode, 400);
      assert.match(pageText(wrong.body), /The code is not correct or has expired/);
      assert.equal((await client.get('/')).headers.location, '/sign-in/code');

      const right = await client.post('/sign-in/code', { code: await nextTotpCode(staff.mfaSecret!), returnTo: '/account' });
      assert.equal(right.statusCode, 303);
      assert.equal(right.headers.location, '/account');
      assert.equal((await client.get('/')).statusCode, 200);
      assert.deepEqual(await auditActionsAboutUser(harness.database, staff.id), ['user.sign_in_failed', 'user.signed_in']);
    });

    it('refuses a code that was already used (a replay), and only because it was used', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker', { mfa: true });
      const code = await nextTotpCode(staff.mfaSecret!);
      const first = new TestClient(harness.app);
      await first.post('/sign-in', { email: staff.email, password: staff.password });
      assert.equal((await first.post('/sign-in/code', { code })).statusCode, 303);
      const used = await harness.database.db.selectFrom('users').select('mfa_last_time_step').where('id', '=', staff.id).executeTakeFirstOrThrow();
      assert.ok(used.mfa_last_time_step !== null, 'the step of the used code is kept');

      const second = new TestClient(harness.app);
      await second.post('/sign-in', { email: staff.email, password: staff.password });
      const replay = await second.post('/sign-in/code', { code });
      assert.equal(replay.statusCode, 400, 'the same code twice is refused');
      assert.match(pageText(replay.body), /The code is not correct or has expired/);

      // Forget that the code was used: the very same code is now accepted, so the replay guard alone refused it.
      await harness.database.db.updateTable('users').set({ mfa_last_time_step: used.mfa_last_time_step - 1 }).where('id', '=', staff.id).execute();
      assert.equal((await second.post('/sign-in/code', { code })).statusCode, 303);
    });

    it('accepts a code only once even when two sign-ins race with it', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker', { mfa: true });
      const clients = [new TestClient(harness.app), new TestClient(harness.app), new TestClient(harness.app)];
      for (const client of clients) await client.post('/sign-in', { email: staff.email, password: staff.password });
      const code = await nextTotpCode(staff.mfaSecret!);
      const answers = await Promise.all(clients.map((client) => client.post('/sign-in/code', { code })));
      assert.deepEqual(answers.map((r) => r.statusCode).sort(), [303, 400, 400], 'one sign-in, two refusals');
      const active = (await sessionRowsOf(harness.database, staff.id)).filter((s) => s.stage === 'active');
      assert.equal(active.length, 1);
    });

    it('locks the account after repeated wrong codes and ends the half-finished session', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker', { mfa: true });
      const client = new TestClient(harness.app);
      await client.post('/sign-in', { email: staff.email, password: staff.password });
      const wrong = await wrongTotpCode(staff.mfaSecret!);
      let last = await client.post('/sign-in/code', { code: wrong });
      for (let attempt = 1; attempt < harness.config.auth.lockoutThreshold; attempt += 1) {
        last = await client.post('/sign-in/code', { code: wrong });
      }
      assert.equal(last.statusCode, 400);
      assert.match(pageText(last.body), /Your account is locked/);
      assert.deepEqual(await sessionRowsOf(harness.database, staff.id), [], 'the session is gone');
      assert.equal((await client.get('/')).headers.location, '/sign-in?returnTo=%2F');
      const again = await client.post('/sign-in', { email: staff.email, password: staff.password });
      assert.match(pageText(again.body), /Your account is locked/, 'the password alone cannot get round the lock');
    });
  });

  describe(`a caseworker may turn on two-step verification [${engine.name}]`, () => {
    let harness: TestApp;
    let organisationId: string;
    before(async () => {
      harness = await startTestApp(engine);
      organisationId = await createOrganisation(harness.database);
    });
    after(() => harness.close());

    it('signs a caseworker in without a code, then turns a code on at /account/set-up-code', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      const otherDevice = new TestClient(harness.app);
      await otherDevice.signIn(staff);
      const signedIn = await client.post('/sign-in', { email: staff.email, password: staff.password });
      assert.equal(signedIn.headers.location, '/', 'no code asked: optional for caseworkers');

      const account = await client.get('/account');
      assert.match(pageText(account.body), /Two-step verification Off Set up two-step verification/);
      const setUp = await client.get('/account/set-up-code');
      assert.equal(setUp.statusCode, 200);
      assert.match(pageText(setUp.body), /After you set this up, signing in will need a code/);
      const secret = mfaSecretOnPage(setUp.body).replace(/ /g, '');

      const wrong = await client.post('/account/set-up-code', { code: await wrongTotpCode(secret) });
      assert.equal(wrong.statusCode, 400);
      assert.match(pageText(wrong.body), /The code is not correct/);

      const step = currentTimeStep();
      const right = await client.post('/account/set-up-code', { code: await totpCodeAt(secret, step) });
      assert.equal(right.statusCode, 303);
      assert.equal(right.headers.location, '/account?mfa=on');
      const on = await client.get('/account?mfa=on');
      assert.match(pageText(on.body), /Two-step verification is on\./);
      assert.match(pageText(on.body), /Two-step verification On/);
      assert.equal((await client.get('/account/set-up-code')).headers.location, '/account', 'nothing more to set up');
      assert.equal((await otherDevice.get('/account')).statusCode, 303, 'sessions begun before the second factor are ended');

      assert.equal((await client.post('/sign-out', {})).statusCode, 303);
      const again = await client.post('/sign-in', { email: staff.email, password: staff.password });
      assert.equal(again.headers.location, '/sign-in/code?returnTo=%2F', 'the code is asked for from now on');
      const code = await client.post('/sign-in/code', { code: await totpCodeAt(secret, Math.max(step, currentTimeStep()) + 1) });
      assert.equal(code.statusCode, 303);
      assert.equal((await client.get('/')).statusCode, 200);
    });
  });

  describe(`HEARTH_MFA_REQUIRED_ROLES can require a code of caseworkers [${engine.name}]`, () => {
    let harness: TestApp;
    let organisationId: string;
    before(async () => {
      harness = await startTestApp(engine, { env: { HEARTH_MFA_REQUIRED_ROLES: 'administrator, caseworker' } });
      organisationId = await createOrganisation(harness.database);
    });
    after(() => harness.close());

    it('forces a caseworker to enrol, but not a helpline worker', async () => {
      const caseworker = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      const signedIn = await client.post('/sign-in', { email: caseworker.email, password: caseworker.password });
      assert.equal(signedIn.headers.location, '/sign-in/set-up-code?returnTo=%2F');
      assert.equal((await client.get('/people')).headers.location, '/sign-in/set-up-code');
      const setUp = await client.get('/sign-in/set-up-code');
      assert.match(pageText(setUp.body), /Your role needs a second step/);

      const helpline = await createStaff(harness.database, organisationId, 'helpline_worker');
      const other = await new TestClient(harness.app).post('/sign-in', { email: helpline.email, password: helpline.password });
      assert.equal(other.headers.location, '/');
    });
  });
}
