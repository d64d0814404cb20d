import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngines } from '../support/engines.ts';
import { pageText, startTestApp, TestClient, type TestApp } from '../support/app-harness.ts';
import { createOrganisation, createStaff, type TestStaff } from '../support/factories.ts';

for (const engine of testEngines()) {
  describe(`staff accounts, managed by an administrator [${engine.name}]`, () => {
    let harness: TestApp;
    let admin: TestStaff;
    let caseworker: TestStaff;
    let otherOrgWorker: TestStaff;
    /** One signed-in administrator for the suite: a TOTP code's time step can be used once only. */
    let client: TestClient;

    before(async () => {
      harness = await startTestApp(engine);
      const organisation = await createOrganisation(harness.database);
      admin = await createStaff(harness.database, organisation, 'administrator', { mfa: true, displayName: 'Ada Admin' });
      caseworker = await createStaff(harness.database, organisation, 'caseworker', { displayName: 'Cass Worker' });
      otherOrgWorker = await createStaff(harness.database, await createOrganisation(harness.database), 'caseworker', { displayName: 'Elsewhere Person' });
      client = new TestClient(harness.app);
      await client.signIn(admin);
    });
    after(() => harness.close());

    it('lists only the organisation\'s own accounts', async () => {
      const list = pageText((await client.get('/staff')).body);
      assert.match(list, /Cass Worker/);
      assert.match(list, /Ada Admin/);
      assert.doesNotMatch(list, /Elsewhere Person/);
    });

    it('adds an account whose one-off password works, and refuses a duplicate email', async () => {
      const missing = await client.post('/staff', { displayName: '', email: 'not-an-email', role: '' });
      assert.equal(missing.statusCode, 400);
      const errors = pageText(missing.body);
      assert.match(errors, /Enter their full name/);
      assert.match(errors, /Enter an email address in the correct format/);
      assert.match(errors, /Select their role/);

      const email = `new-${Date.now()}@test.hearth.example`;
      const created = await client.post('/staff', { displayName: 'Nina New', email, role: 'helpline_worker', teamId: '' });
      assert.equal(created.statusCode, 200);
      const password = /id="one-off-password">([^<]+)</.exec(created.body)?.[1];
      assert.ok(password, 'the one-off password is shown once');

      const newcomer = new TestClient(harness.app);
      const signIn = await newcomer.post('/sign-in', { email, password });
      assert.equal(signIn.statusCode, 303);
      assert.equal(signIn.headers.location, '/');

      const again = await client.post('/staff', { displayName: 'Nina Again', email: email.toUpperCase(), role: 'caseworker' });
      assert.equal(again.statusCode, 400);
      assert.match(pageText(again.body), /already exists/);
    });

    it('disables an account: its session ends at once and sign-in is refused; enabling restores it', async () => {
      const worker = new TestClient(harness.app);
      await worker.signIn(caseworker);
      assert.equal((await worker.get('/people')).statusCode, 200);

      assert.equal((await client.post(`/staff/${caseworker.id}/disable`, {})).statusCode, 303);
      const after = await worker.get('/people');
      assert.equal(after.statusCode, 303);
      assert.match(after.headers.location ?? '', /^\/sign-in/);
      const refused = await new TestClient(harness.app).post('/sign-in', { email: caseworker.email, password: caseworker.password });
      assert.equal(refused.statusCode, 400);

      assert.equal((await client.post(`/staff/${caseworker.id}/enable`, {})).statusCode, 303);
      const back = await new TestClient(harness.app).post('/sign-in', { email: caseworker.email, password: caseworker.password });
      assert.equal(back.statusCode, 303);
    });

    it('will not let administrators disable themselves, and cannot reach another organisation\'s account', async () => {
      const self = await client.post(`/staff/${admin.id}/disable`, {});
      assert.equal(self.statusCode, 400);
      assert.match(pageText(self.body), /cannot do this to your own account/);
      assert.equal((await client.post(`/staff/${otherOrgWorker.id}/disable`, {})).statusCode, 404);
      assert.equal((await client.get(`/staff/${otherOrgWorker.id}/disable`)).statusCode, 404);
    });

    it('unlocks a locked account and resets a lost second factor', async () => {
      const locked = await createStaff(harness.database, caseworker.organisationId, 'helpline_worker', { mfa: true });
      const stranger = new TestClient(harness.app);
      for (let i = 0; i < harness.config.auth.lockoutThreshold; i++) {
        await stranger.post('/sign-in', { email: locked.email, password: 'wrong password here' });
      }
      const list = pageText((await client.get('/staff')).body);
      assert.match(list, /Locked/);
      assert.equal((await client.post(`/staff/${locked.id}/unlock`, {})).statusCode, 303);
      const signIn = await new TestClient(harness.app).post('/sign-in', { email: locked.email, password: locked.password });
      assert.equal(signIn.headers.location, '/sign-in/code?returnTo=%2F', 'unlocked, and still asked for a code');

      assert.equal((await client.post(`/staff/${locked.id}/reset-code`, {})).statusCode, 303);
      const afterReset = await new TestClient(harness.app).post('/sign-in', { email: locked.email, password: locked.password });
      assert.equal(afterReset.headers.location, '/', 'no code asked for: a helpline worker may work without one until they set it up again');
    });

    it('audits every change to an account', async () => {
      const actions = await harness.database.db
        .selectFrom('audit_events')
        .select('action')
        .where('actor_user_id', '=', admin.id)
        .where('record_type', '=', 'user')
        .execute();
      const names = actions.map((a) => a.action);
      for (const action of ['user.created', 'user.disabled', 'user.enabled', 'user.unlocked', 'user.mfa_reset']) assert.ok(names.includes(action), action);
    });

    it('shows a banner only for the changes it names', async () => {
      assert.match(pageText((await client.get('/staff?done=unlocked')).body), /The account is unlocked/);
      const odd = await client.get('/staff?done=constructor');
      assert.equal(odd.statusCode, 200);
      assert.doesNotMatch(odd.body, /govuk-notification-banner--success|function Object/);
    });

    it('is closed to every role but administrators', async () => {
      const worker = new TestClient(harness.app);
      await worker.signIn(caseworker);
      assert.equal((await worker.get('/staff')).statusCode, 403);
      assert.equal((await worker.post('/staff', { displayName: 'X', email: 'x@test.hearth.example', role: 'administrator' })).statusCode, 403);
    });

    it('lets a user change their own password, ending their other sessions', async () => {
      const user = await createStaff(harness.database, caseworker.organisationId, 'team_manager');
      const here = new TestClient(harness.app);
      const elsewhere = new TestClient(harness.app);
      await here.signIn(user);
      await elsewhere.signIn(user);
      const wrong = await here.post('/account/password', { currentPassword: 'not it at all', newPassword: 'a-brand-new-password', confirmPassword: 'a-brand-new-password' });
      assert.equal(wrong.statusCode, 400);
      assert.match(pageText(wrong.body), /current password is not correct/);
      const mismatch = await here.post('/account/password', { currentPassword: user.password, newPassword: 'a-brand-new-password', confirmPassword: 'something else entirely' });
      assert.match(pageText(mismatch.body), /The passwords do not match/);
      const changed = await here.post('/account/password', { currentPassword: user.password, newPassword: 'a-brand-new-password', confirmPassword: 'a-brand-new-password' });
      assert.equal(changed.statusCode, 303);
      assert.equal((await here.get('/account')).statusCode, 200, 'still signed in here');
      assert.equal((await elsewhere.get('/account')).statusCode, 303, 'signed out elsewhere');
      const oldPassword = await new TestClient(harness.app).post('/sign-in', { email: user.email, password: user.password });
      assert.equal(oldPassword.statusCode, 400);
      const newPassword = await new TestClient(harness.app).post('/sign-in', { email: user.email, password: 'a-brand-new-password' });
      assert.equal(newPassword.statusCode, 303);
    });
  });
}
