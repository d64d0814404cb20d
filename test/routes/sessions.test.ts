import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SessionStore } from '../../src/platform/auth/session-store.ts';
import { fixedClock, pageText, startTestApp, TestClient, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, nextTotpCode } from '../support/factories.ts';
import { auditActionsAboutUser, clearsSessionCookie, sessionCookieOf, sessionRowsOf, withSessionCookie } from '../support/sign-in-steps.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

for (const engine of testEngines()) {
  describe(`sessions are kept on the server [${engine.name}]`, () => {
    let harness: TestApp;
    let organisationId: string;
    before(async () => {
      harness = await startTestApp(engine);
      organisationId = await createOrganisation(harness.database);
    });
    after(() => harness.close());

    const get = (url: string, token: string) => harness.app.inject({ method: 'GET', url, headers: withSessionCookie(token) });

    it('stores a session as a row whose id is the sha256 of the cookie, never the cookie itself', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const response = await new TestClient(harness.app).post('/sign-in', { email: staff.email, password: staff.password });
      const token = sessionCookieOf(response);
      assert.ok(token);
      assert.match(token, /^[A-Za-z0-9_-]{43}$/, '256 random bits');
      const rows = await sessionRowsOf(harness.database, staff.id);
      assert.equal(rows.length, 1);
      const [row] = rows;
      assert.ok(row);
      assert.equal(row.id, sha256(token));
      assert.notEqual(row.id, token);
      assert.equal(row.stage, 'active');
      assert.equal(row.organisation_id, organisationId);
      const byCookie = await harness.database.db.selectFrom('sessions').select('id').where('id', '=', token).execute();
      assert.deepEqual(byCookie, [], 'the cookie cannot be looked up directly');
      assert.equal((await get('/account', token)).statusCode, 200);
      assert.equal((await get('/account', row.id)).statusCode, 303, 'the stored id is not a working cookie');
    });

    it('signs out on POST /sign-out: the row is deleted and the old cookie no longer works', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      const signedIn = await client.post('/sign-in', { email: staff.email, password: staff.password });
      const token = sessionCookieOf(signedIn)!;
      const signOut = await client.post('/sign-out', {});
      assert.equal(signOut.statusCode, 303);
      assert.equal(signOut.headers.location, '/sign-in?signedOut=1');
      assert.ok(clearsSessionCookie(signOut), 'the browser is told to forget the cookie');
      assert.deepEqual(await sessionRowsOf(harness.database, staff.id), []);
      const replayed = await get('/account', token);
      assert.equal(replayed.statusCode, 303, 'the old cookie is treated as signed out');
      assert.match(replayed.headers.location ?? '', /^\/sign-in\?/);
      assert.match(pageText((await client.get('/sign-in?signedOut=1')).body), /You have signed out\./);
      assert.deepEqual(await auditActionsAboutUser(harness.database, staff.id), ['user.signed_in', 'user.signed_out']);
    });

    it('does not sign out without the form token', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      await client.signIn(staff);
      const forged = await client.post('/sign-out', {}, { csrf: false });
      assert.equal(forged.statusCode, 403);
      assert.equal((await client.get('/account')).statusCode, 200, 'still signed in');
      assert.equal((await sessionRowsOf(harness.database, staff.id)).length, 1);
    });

    it('gives a new session id after the second factor, so a session fixed before it is worthless', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker', { mfa: true });
      const client = new TestClient(harness.app);
      const password = await client.post('/sign-in', { email: staff.email, password: staff.password });
      const pendingToken = sessionCookieOf(password)!;
      assert.equal((await sessionRowsOf(harness.database, staff.id))[0]?.stage, 'mfa_required');
      const code = await client.post('/sign-in/code', { code: await nextTotpCode(staff.mfaSecret!) });
      assert.equal(code.statusCode, 303);
      const activeToken = sessionCookieOf(code);
      assert.ok(activeToken);
      assert.notEqual(activeToken, pendingToken);
      const rows = await sessionRowsOf(harness.database, staff.id);
      assert.deepEqual(rows.map((r) => [r.id, r.stage]), [[sha256(activeToken), 'active']], 'the pending session is gone');
      const withOld = await get('/account', pendingToken);
      assert.equal(withOld.statusCode, 303);
      assert.match(withOld.headers.location ?? '', /^\/sign-in\?/);
      assert.equal((await get('/account', activeToken)).statusCode, 200);
    });

    it('ends the session a browser already had when someone signs in again in it', async () => {
      const first = await createStaff(harness.database, organisationId, 'caseworker');
      const second = await createStaff(harness.database, organisationId, 'helpline_worker');
      const client = new TestClient(harness.app);
      const firstToken = sessionCookieOf(await client.post('/sign-in', { email: first.email, password: first.password }))!;
      const secondResponse = await client.post('/sign-in', { email: second.email, password: second.password });
      assert.notEqual(sessionCookieOf(secondResponse), firstToken);
      assert.deepEqual(await sessionRowsOf(harness.database, first.id), []);
    });

    it('ends the sessions of a disabled user on their next request, and refuses their password', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      await client.signIn(staff);
      assert.equal((await client.get('/people')).statusCode, 200);
      await harness.database.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', staff.id).execute();
      const next = await client.get('/people');
      assert.equal(next.statusCode, 303);
      assert.match(next.headers.location ?? '', /^\/sign-in\?/);
      assert.deepEqual(await sessionRowsOf(harness.database, staff.id), []);
      const again = await new TestClient(harness.app).post('/sign-in', { email: staff.email, password: staff.password });
      assert.equal(again.statusCode, 400);
      assert.match(pageText(again.body), /Enter a correct email address and password/);
    });

    it('ignores a cookie that is not a session token', async () => {
      for (const token of ['', 'x', 'a'.repeat(43), `${'a'.repeat(42)}'`, 'a'.repeat(500)]) {
        const response = await get('/account', token);
        assert.equal(response.statusCode, 303, JSON.stringify(token));
      }
    });
  });

  describe(`sessions expire [${engine.name}]`, () => {
    const clock = fixedClock('2030-06-01T09:00:00Z');
    let harness: TestApp;
    let organisationId: string;
    before(async () => {
      harness = await startTestApp(engine, {
        clock,
        env: { HEARTH_SESSION_IDLE_MINUTES: '30', HEARTH_SESSION_ABSOLUTE_MINUTES: '60' },
      });
      organisationId = await createOrganisation(harness.database);
    });
    after(() => harness.close());

    it('ends a session left idle for HEARTH_SESSION_IDLE_MINUTES, and keeps one in use alive', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      await client.signIn(staff);
      clock.advanceMinutes(29);
      assert.equal((await client.get('/account')).statusCode, 200, '29 minutes idle');
      clock.advanceMinutes(29);
      assert.equal((await client.get('/account')).statusCode, 200, 'the last request reset the idle time');
      clock.advanceMinutes(30);
      const expired = await client.get('/account');
      assert.equal(expired.statusCode, 303, '30 minutes idle');
      assert.match(expired.headers.location ?? '', /^\/sign-in\?(.*&)?returnTo=%2Faccount/);
      assert.deepEqual(await sessionRowsOf(harness.database, staff.id), [], 'the expired row is removed');
    });

    it('ends a session HEARTH_SESSION_ABSOLUTE_MINUTES after sign-in, however busy', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      await client.signIn(staff);
      const account = await client.get('/account');
      assert.match(pageText(account.body), /This session ends/);
      for (const minutes of [20, 20, 19]) {
        clock.advanceMinutes(minutes);
        assert.equal((await client.get('/account')).statusCode, 200);
      }
      clock.advanceMinutes(1);
      const expired = await client.get('/account');
      assert.equal(expired.statusCode, 303, '60 minutes after sign-in');
      assert.match(expired.headers.location ?? '', /^\/sign-in\?/);
      assert.deepEqual(await sessionRowsOf(harness.database, staff.id), []);
    });

    it('tells the user they were signed out, and drops the dead cookie', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      await client.signIn(staff);
      clock.advanceMinutes(31);
      const expired = await client.get('/people');
      assert.equal(expired.statusCode, 303);
      assert.ok(clearsSessionCookie(expired), 'the dead cookie is cleared');
      assert.equal(client.hasCookie('hearth_session'), false);
      const signInPage = await client.get(expired.headers.location!);
      assert.equal(signInPage.statusCode, 200);
      assert.match(pageText(signInPage.body), /You were signed out to protect the information in Hearth/);
      assert.match(signInPage.body, /name="returnTo" value="\/people"/);
    });

    it('purges sessions that ended, idle or absolute, and keeps live ones', async () => {
      const store = new SessionStore(harness.database.db, clock, { idleMinutes: 30, absoluteMinutes: 60 });
      const idle = await createStaff(harness.database, organisationId, 'caseworker');
      const busy = await createStaff(harness.database, organisationId, 'caseworker');
      const idleClient = new TestClient(harness.app);
      const busyClient = new TestClient(harness.app);
      await idleClient.signIn(idle);
      await busyClient.signIn(busy);
      clock.advanceMinutes(20);
      await busyClient.get('/account');
      clock.advanceMinutes(15);
      await store.purgeExpired();
      assert.deepEqual(await sessionRowsOf(harness.database, idle.id), [], 'idle for 35 minutes: gone');
      assert.equal((await sessionRowsOf(harness.database, busy.id)).length, 1, 'seen 15 minutes ago: kept');
    });
  });
}
