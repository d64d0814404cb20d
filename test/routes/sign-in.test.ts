import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SESSION_COOKIE } from '../../src/platform/http/route-access.ts';
import { fixedClock, pageText, startTestApp, TestClient, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff } from '../support/factories.ts';
import { auditActionsAboutUser, auditRowsAboutUser, sessionCookieOf } from '../support/sign-in-steps.ts';

const WRONG_PASSWORD = 'not-the-password-7f3a9c';

/** The value the page puts back into the email box. */
function emailValue(html: string): string | undefined {
  return /<input[^>]*id="email"[^>]*value="([^"]*)"/.exec(html)?.[1] ?? /<input[^>]*value="([^"]*)"[^>]*id="email"/.exec(html)?.[1];
}

for (const engine of testEngines()) {
  describe(`signing in with a password [${engine.name}]`, () => {
    let harness: TestApp;
    let organisationId: string;
    before(async () => {
      harness = await startTestApp(engine);
      organisationId = await createOrganisation(harness.database);
    });
    after(() => harness.close());

    it('lets the right password in: a 303 to the home page and a session cookie, audited as user.signed_in', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      const response = await client.post('/sign-in', { email: staff.email, password: staff.password });
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/');
      const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
      assert.ok(cookie?.value, 'a session cookie is set');
      assert.equal(cookie.httpOnly, true, 'scripts cannot read the session cookie');
      assert.equal(cookie.sameSite, 'Lax');
      assert.equal(cookie.path, '/');
      assert.equal((await client.get('/')).statusCode, 200);
      assert.deepEqual(await auditActionsAboutUser(harness.database, staff.id), ['user.signed_in']);
    });

    it('refuses a wrong password with the GOV.UK error summary, keeping the email and never echoing the password', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      const response = await client.post('/sign-in', { email: staff.email, password: WRONG_PASSWORD });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /<title>Error: Sign in - Hearth<\/title>/);
      assert.match(response.body, /govuk-error-summary/);
      assert.match(pageText(response.body), /There is a problem Enter a correct email address and password/);
      assert.match(response.body, /href="#email">Enter a correct email address and password/);
      assert.equal(emailValue(response.body), staff.email);
      assert.ok(!response.body.includes(WRONG_PASSWORD), 'the password is not sent back');
      assert.equal(sessionCookieOf(response), undefined);
      assert.equal((await client.get('/')).statusCode, 303, 'still signed out');
      const rows = await auditRowsAboutUser(harness.database, staff.id);
      assert.deepEqual(rows, [{ action: 'user.sign_in_failed', details: { factor: 'password' } }]);
    });

    it('answers an unknown email exactly as a wrong password, and writes no audit row', async () => {
      const client = new TestClient(harness.app);
      const email = 'nobody-here@test.hearth.example';
      const before = await harness.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const response = await client.post('/sign-in', { email, password: WRONG_PASSWORD });
      assert.equal(response.statusCode, 400);
      assert.match(pageText(response.body), /There is a problem Enter a correct email address and password/);
      assert.equal(emailValue(response.body), email);
      assert.ok(!response.body.includes(WRONG_PASSWORD));
      assert.equal(sessionCookieOf(response), undefined);
      const afterwards = await harness.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(afterwards.n), Number(before.n));
    });

    it('asks for each missing field of an empty form, linking each message to its field', async () => {
      const client = new TestClient(harness.app);
      const response = await client.post('/sign-in', { email: '', password: '' });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /href="#email">Enter your email address/);
      assert.match(response.body, /href="#password">Enter your password/);
      assert.match(response.body, /id="email-error"/);
      assert.match(response.body, /id="password-error"/);
      assert.equal(sessionCookieOf(response), undefined);
    });

    it('asks for the password when only the email is given, keeping the email', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      const response = await client.post('/sign-in', { email: staff.email, password: '' });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /href="#password">Enter your password/);
      assert.doesNotMatch(response.body, /href="#email"/);
      assert.equal(emailValue(response.body), staff.email);
      assert.deepEqual(await auditActionsAboutUser(harness.database, staff.id), [], 'an incomplete form is not an attempt');
    });

    it('returns the user to the page they asked for, but never to another site', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      const asked = await client.get('/people?name=Ada');
      assert.equal(asked.statusCode, 303);
      assert.equal(asked.headers.location, '/sign-in?returnTo=%2Fpeople%3Fname%3DAda');
      const page = await client.get(asked.headers.location);
      assert.match(page.body, /name="returnTo" value="\/people\?name=Ada"/);
      const signedIn = await client.post('/sign-in', { email: staff.email, password: staff.password, returnTo: '/people?name=Ada' });
      assert.equal(signedIn.headers.location, '/people?name=Ada');

      for (const returnTo of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/sign-out']) {
        const other = new TestClient(harness.app);
        const response = await other.post('/sign-in', { email: staff.email, password: staff.password, returnTo });
        assert.equal(response.statusCode, 303);
        assert.equal(response.headers.location, '/', `returnTo ${returnTo}`);
      }
    });

    it('sends a signed-in user from the sign-in page to the home page', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      await client.signIn(staff);
      const response = await client.get('/sign-in');
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/');
    });
  });

  describe(`locking an account after repeated failures [${engine.name}]`, () => {
    const clock = fixedClock('2030-03-01T00:00:00Z');
    let harness: TestApp;
    let organisationId: string;
    before(async () => {
      harness = await startTestApp(engine, { clock });
      organisationId = await createOrganisation(harness.database);
    });
    after(() => harness.close());

    it('locks after HEARTH_LOCKOUT_THRESHOLD failures and refuses even the right password until the lock ends', async () => {
      const { lockoutThreshold, lockoutMinutes } = harness.config.auth;
      assert.equal(lockoutThreshold, 5, 'the default threshold');
      assert.equal(lockoutMinutes, 15, 'the default lock');
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);

      for (let attempt = 1; attempt < lockoutThreshold; attempt += 1) {
        const response = await client.post('/sign-in', { email: staff.email, password: WRONG_PASSWORD });
        assert.equal(response.statusCode, 400);
        assert.match(pageText(response.body), /Enter a correct email address and password/, `attempt ${attempt}`);
      }
      const locking = await client.post('/sign-in', { email: staff.email, password: WRONG_PASSWORD });
      assert.equal(locking.statusCode, 400);
      assert.match(pageText(locking.body), /Your account is locked after too many attempts\. Try again after /);

      const refused = await client.post('/sign-in', { email: staff.email, password: staff.password });
      assert.equal(refused.statusCode, 400, 'the right password is refused while locked');
      assert.match(pageText(refused.body), /Your account is locked/);
      assert.equal(sessionCookieOf(refused), undefined);

      clock.advanceMinutes(lockoutMinutes - 1);
      const stillLocked = await client.post('/sign-in', { email: staff.email, password: staff.password });
      assert.equal(stillLocked.statusCode, 400);
      assert.match(pageText(stillLocked.body), /Your account is locked/);

      clock.advanceMinutes(2);
      const open = await client.post('/sign-in', { email: staff.email, password: staff.password });
      assert.equal(open.statusCode, 303, 'the lock has ended');
      assert.ok(sessionCookieOf(open));

      assert.deepEqual(await auditActionsAboutUser(harness.database, staff.id), [
        ...Array<string>(lockoutThreshold - 1).fill('user.sign_in_failed'),
        'user.locked_out',
        'user.sign_in_refused_locked',
        'user.sign_in_refused_locked',
        'user.signed_in',
      ]);
    });

    it('counts only the failures since the last success', async () => {
      const { lockoutThreshold } = harness.config.auth;
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      for (let attempt = 1; attempt < lockoutThreshold; attempt += 1) {
        await client.post('/sign-in', { email: staff.email, password: WRONG_PASSWORD });
      }
      assert.equal((await client.post('/sign-in', { email: staff.email, password: staff.password })).statusCode, 303);
      for (let attempt = 1; attempt < lockoutThreshold; attempt += 1) {
        const response = await new TestClient(harness.app).post('/sign-in', { email: staff.email, password: WRONG_PASSWORD });
        assert.doesNotMatch(pageText(response.body), /locked/);
      }
      assert.equal((await new TestClient(harness.app).post('/sign-in', { email: staff.email, password: staff.password })).statusCode, 303);
    });

    it('counts attempts made in parallel, so racing them cannot get round the lock', async () => {
      const { lockoutThreshold } = harness.config.auth;
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const clients = Array.from({ length: lockoutThreshold + 3 }, () => new TestClient(harness.app));
      for (const client of clients) await client.get('/sign-in');
      const attempts = await Promise.all(clients.map((client) => client.post('/sign-in', { email: staff.email, password: WRONG_PASSWORD })));
      assert.ok(attempts.every((r) => r.statusCode === 400));
      const right = await new TestClient(harness.app).post('/sign-in', { email: staff.email, password: staff.password });
      assert.equal(right.statusCode, 400, 'locked: every one of the parallel failures counted');
      assert.match(pageText(right.body), /Your account is locked/);
      const actions = await auditActionsAboutUser(harness.database, staff.id);
      assert.equal(actions.filter((a) => a === 'user.locked_out').length, 1, 'locked once');
      assert.equal(actions.length, clients.length + 1, 'every attempt is in the audit trail');
    });

    it('keeps giving an unknown email the same answer, however many attempts', async () => {
      const client = new TestClient(harness.app);
      for (let attempt = 0; attempt <= harness.config.auth.lockoutThreshold; attempt += 1) {
        const response = await client.post('/sign-in', { email: 'unknown-person@test.hearth.example', password: WRONG_PASSWORD });
        assert.equal(response.statusCode, 400);
        assert.match(pageText(response.body), /Enter a correct email address and password/);
      }
    });
  });

  describe(`rate limit on signing in [${engine.name}]`, () => {
    let harness: TestApp;
    let organisationId: string;
    before(async () => {
      harness = await startTestApp(engine, { env: { HEARTH_SIGN_IN_RATE_LIMIT: '3' } });
      organisationId = await createOrganisation(harness.database);
    });
    after(() => harness.close());

    it('answers 429 to the next POST /sign-in in the minute, even with the right password', async () => {
      assert.equal(harness.config.auth.signInRateLimitPerMinute, 3);
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const response = await client.post('/sign-in', { email: 'someone@test.hearth.example', password: WRONG_PASSWORD });
        assert.equal(response.statusCode, 400);
      }
      const limited = await client.post('/sign-in', { email: staff.email, password: staff.password });
      assert.equal(limited.statusCode, 429);
      assert.match(pageText(limited.body), /Too many attempts/);
      assert.ok(Number(limited.headers['retry-after']) > 0, 'tells the browser when to try again');
      assert.equal(sessionCookieOf(limited), undefined);
      assert.deepEqual(await auditActionsAboutUser(harness.database, staff.id), [], 'the password was never checked');
      assert.equal((await client.get('/sign-in')).statusCode, 200, 'the page itself still opens');
    });
  });
}
