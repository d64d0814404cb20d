import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asSystem } from '../../src/db/tenancy.ts';
import { createPeopleServices } from '../../src/services.ts';
import { fixedClock, startTestApp, TestClient, pageText, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, personDetails, type TestStaff } from '../support/factories.ts';
import { outboxRows, reportFields } from '../support/reports.ts';
import { actorAsAuditWho } from '../../src/platform/audit/audit-log.ts';
import { FrontDoorService } from '../../src/features/front-door/service.ts';
import { gatherReport } from '../../src/features/front-door/report-form.ts';
import { practicePack } from '../../src/practice/pack.ts';

for (const engine of testEngines()) {
  describe(`the helpline's front door (${engine.name})`, () => {
    // Tuesday 7 April 2026, 10:00 in Sydney (AEST after the clocks went back on the 5th).
    const clock = fixedClock('2026-04-07T00:00:00Z');
    let harness: TestApp;
    let worker: TestStaff;
    let colleague: TestStaff;
    let caseworker: TestStaff;
    let partner: TestStaff;
    let knownChildId: string;

    before(async () => {
      harness = await startTestApp(engine, { clock });
      const organisationId = await createOrganisation(harness.database);
      worker = await createStaff(harness.database, organisationId, 'helpline_worker', { displayName: 'Wren Worker' });
      colleague = await createStaff(harness.database, organisationId, 'team_manager', { displayName: 'Cass Colleague' });
      caseworker = await createStaff(harness.database, organisationId, 'caseworker');
      partner = await createStaff(harness.database, organisationId, 'partner_agency');
      const { people } = createPeopleServices(harness.database.db, clock, 'Australia/Sydney');
      const known = await people.create(worker.actor, personDetails({ givenNames: 'Catherine', familyName: 'Oyelaran', dateOfBirth: '2016-08-02' }));
      knownChildId = known.id;
    });
    after(() => harness.close());

    async function signedIn(staff: TestStaff): Promise<TestClient> {
      const client = new TestClient(harness.app);
      await client.signIn(staff);
      return client;
    }

    /** Records a phone report as `staff`, returning the report's page address. */
    async function recordPhoneReport(client: TestClient, fields: Record<string, string | string[]>): Promise<string> {
      const start = await client.get('/front-door/reports/new');
      assert.equal(start.statusCode, 303);
      const draft = start.headers.location!;
      await client.get(draft);
      const sent = await client.post(`${draft}/send`, fields);
      assert.equal(sent.statusCode, 303, pageText(sent.body).slice(0, 600));
      assert.match(sent.headers.location!, /^\/front-door\/reports\/[0-9a-f-]{36}\?received=1$/);
      return sent.headers.location!.split('?')[0]!;
    }

    async function identifyEach(client: TestClient, reportUrl: string, count: number) {
      for (let n = 1; n <= count; n += 1) {
        const linked = await client.post(`${reportUrl}/children/${n}`, { personId: 'new' });
        assert.equal(linked.statusCode, 303);
      }
    }

    it('records a phone report, finds the child despite a misspelt name, screens it in, and queues it at the right office with the right due time', async () => {
      const client = await signedIn(worker);
      const reportUrl = await recordPhoneReport(
        client,
        reportFields({
          childCount: '1',
          'child1-givenNames': 'Kathryn',
          'child1-familyName': 'Oyelaren',
          'child1-dateOfBirth-day': '2',
          'child1-dateOfBirth-month': '8',
          'child1-dateOfBirth-year': '2016',
          'child1-postcode': '2150',
          'child1-concerns': ['physical-or-sexual-abuse'],
          'reporter-name': '',
          'reporter-role': '',
          'reporter-email': '',
        }),
      );
      const page = await client.get(reportUrl);
      assert.match(pageText(page.body), /Report recorded|Awaiting screening/);
      assert.doesNotMatch(page.body, /Screen this report<\/a>/, 'not before the child is identified');

      const identify = await client.get(`${reportUrl}/children/1`);
      assert.equal(identify.statusCode, 200);
      const text = pageText(identify.body);
      assert.match(text, /Catherine Oyelaran/, 'the misspelt name finds the known child');
      assert.ok(identify.body.indexOf(knownChildId) > 0);
      const linked = await client.post(`${reportUrl}/children/1`, { personId: knownChildId });
      assert.equal(linked.statusCode, 303);

      const screenPage = await client.get(`${reportUrl}/screen`);
      assert.equal(screenPage.statusCode, 200);
      const version = /name="version" value="(\d+)"/.exec(screenPage.body)![1]!;
      const missing = await client.post(`${reportUrl}/screen`, { version, rosh: 'yes', rationale: '' });
      assert.equal(missing.statusCode, 400);
      assert.match(pageText(missing.body), /Select a response priority.*Select the grounds that are met|Select the grounds that are met.*Select a response priority/);
      assert.match(pageText(missing.body), /Enter the reasons for your decision/);

      const screened = await client.post(`${reportUrl}/screen`, { version, groundsMet: ['physical-or-sexual-abuse'], rosh: 'yes', priority: 'within-24-hours', rationale: 'Disclosure of physical harm by a carer.' });
      assert.equal(screened.statusCode, 303, pageText(screened.body).slice(0, 500));
      const report = await asSystem(harness.database.db, (trx) => trx.selectFrom('reports').selectAll().where('id', '=', reportUrl.split('/').pop()!).executeTakeFirstOrThrow());
      assert.equal(report.status, 'screened_in');
      assert.equal(report.office_code, 'parramatta');
      assert.equal(report.due_at!.toISOString(), '2026-04-08T00:00:00.000Z', '24 hours after the decision');

      const queue = await client.get('/front-door/queues/parramatta');
      assert.equal(queue.statusCode, 200);
      assert.match(pageText(queue.body), new RegExp(`${report.reference}.*Kathryn Oyelaren.*Within 24 hours.*On time`));
      clock.advanceMinutes(25 * 60);
      // A day on, the session has ended: sign in again.
      assert.match(pageText((await (await signedIn(worker)).get('/front-door/queues/parramatta')).body), /Overdue/);
      const story = await asSystem(harness.database.db, (trx) => trx.selectFrom('story_events').select('summary').where('person_id', '=', knownChildId).execute());
      assert.ok(story.some((e) => e.summary === `Report ${report.reference} screened in: within 24 hours`));
    });

    it('sends a report no office covers to the queue a manager sees', async () => {
      const client = await signedIn(worker);
      const reportUrl = await recordPhoneReport(client, reportFields({ childCount: '1', 'child1-postcode': '', 'child1-suburb': 'Nowhere Creek', 'child1-dateOfBirth-year': '2015' }));
      await identifyEach(client, reportUrl, 1);
      const version = /name="version" value="(\d+)"/.exec((await client.get(`${reportUrl}/screen`)).body)![1]!;
      await client.post(`${reportUrl}/screen`, { version, groundsMet: ['basic-needs'], rosh: 'yes', priority: 'within-10-days', rationale: 'Chronic neglect.' });
      const queue = await (await signedIn(colleague)).get('/front-door/queues/unrouted');
      assert.match(pageText(queue.body), /Reports no office covers/);
      assert.match(pageText(queue.body), /Mia Tomlinson/);
    });

    it('needs a second worker to agree before a report about a baby is screened out', async () => {
      const client = await signedIn(worker);
      const reportUrl = await recordPhoneReport(
        client,
        reportFields({ childCount: '1', 'child1-givenNames': 'Baby', 'child1-familyName': 'Example', 'child1-dateOfBirth-day': '1', 'child1-dateOfBirth-month': '12', 'child1-dateOfBirth-year': '2025' }),
      );
      await identifyEach(client, reportUrl, 1);
      const version = /name="version" value="(\d+)"/.exec((await client.get(`${reportUrl}/screen`)).body)![1]!;
      const proposed = await client.post(`${reportUrl}/screen`, { version, rosh: 'no', outcome: 'family-support', rationale: 'Parents engaging with early-childhood nurse.' });
      assert.equal(proposed.headers.location, `${reportUrl}?screened=awaiting_second_check`);
      const emailsBefore = (await outboxRows(harness.database)).length;

      const self = await client.post(`${reportUrl}/second-check`, { agree: 'yes' });
      assert.equal(self.statusCode, 409);
      assert.match(pageText(self.body), /must be made by another worker/);

      const other = await signedIn(colleague);
      const checkPage = await other.get(`${reportUrl}/second-check`);
      assert.match(pageText(checkPage.body), /Baby Example is under 24 months old/);
      const refused = await other.post(`${reportUrl}/second-check`, { agree: 'no' });
      assert.equal(refused.statusCode, 400);
      assert.match(pageText(refused.body), /Enter why the report should be screened again/);
      const agreed = await other.post(`${reportUrl}/second-check`, { agree: 'yes' });
      assert.equal(agreed.statusCode, 303);
      const report = await asSystem(harness.database.db, (trx) => trx.selectFrom('reports').select(['status', 'outcome']).where('id', '=', reportUrl.split('/').pop()!).executeTakeFirstOrThrow());
      assert.deepEqual(report, { status: 'screened_out', outcome: 'family-support' });
      const emails = await outboxRows(harness.database);
      assert.equal(emails.length, emailsBefore + 1, 'the reporter is told once the decision is final');
      assert.match(emails[emails.length - 1]!.body, /Referred to support/);
      assert.doesNotMatch(emails[emails.length - 1]!.body, /Baby|Example|nurse/, 'no confidential detail');
    });

    it("uses the child's record for the second check when the report gives no date of birth, and allows no relinking once proposed", async () => {
      const { people } = createPeopleServices(harness.database.db, clock, 'Australia/Sydney');
      const baby = await people.create(worker.actor, personDetails({ givenNames: 'Tiny', familyName: 'Recordholder', dateOfBirth: '2026-01-10' }));
      const client = await signedIn(worker);
      const reportUrl = await recordPhoneReport(
        client,
        reportFields({ childCount: '1', 'child1-givenNames': 'Tiny', 'child1-familyName': 'Recordholder', 'child1-dateOfBirth-day': '', 'child1-dateOfBirth-month': '', 'child1-dateOfBirth-year': '', 'child1-ageYears': '' }),
      );
      assert.equal((await client.post(`${reportUrl}/children/1`, { personId: baby.id })).statusCode, 303);
      const version = /name="version" value="(\d+)"/.exec((await client.get(`${reportUrl}/screen`)).body)![1]!;
      const proposed = await client.post(`${reportUrl}/screen`, { version, rosh: 'no', outcome: 'closed', rationale: 'Nothing more needed.' });
      assert.equal(proposed.headers.location, `${reportUrl}?screened=awaiting_second_check`);
      const relink = await client.post(`${reportUrl}/children/1`, { personId: knownChildId });
      assert.equal(relink.statusCode, 400);
      assert.match(pageText(relink.body), /can be changed only while it awaits screening/);
      const badId = await client.post(`${reportUrl}/children/1`, { personId: '-'.repeat(36) });
      assert.equal(badId.statusCode, 400, 'not a 500');
    });

    it('moves a child\'s reports with a merge, so their history and the second check see them all, and back with an unmerge', async () => {
      const services = createPeopleServices(harness.database.db, clock, 'Australia/Sydney');
      const a = await services.people.create(worker.actor, personDetails({ givenNames: 'Noor', familyName: 'Twinrecord', dateOfBirth: '2015-05-05' }));
      const b = await services.people.create(worker.actor, personDetails({ givenNames: 'Noor', familyName: 'Twinrecord', dateOfBirth: '2015-05-05' }));
      const client = await signedIn(worker);
      const reportUrl = await recordPhoneReport(client, reportFields({ childCount: '1', 'child1-givenNames': 'Noor', 'child1-familyName': 'Twinrecord' }));
      await client.post(`${reportUrl}/children/1`, { personId: a.id });
      const merge = await services.merges.merge(colleague.actor, { survivorId: b.id, mergedId: a.id, survivorVersion: b.version, mergedVersion: a.version, reason: null });
      assert.equal(merge.outcome, 'merged');
      const linkedTo = async () =>
        (await asSystem(harness.database.db, (trx) => trx.selectFrom('report_children').select('person_id').where('report_id', '=', reportUrl.split('/').pop()!).executeTakeFirstOrThrow())).person_id;
      assert.equal(await linkedTo(), b.id);
      assert.equal(merge.outcome === 'merged' && (await services.merges.unmerge(colleague.actor, merge.mergeId)).outcome, 'unmerged');
      assert.equal(await linkedTo(), a.id);
    });

    it("finds a report's status from its private link whichever organisation holds it", async () => {
      const other = await createOrganisation(harness.database, 'Another council');
      const staff = await createStaff(harness.database, other, 'helpline_worker');
      const frontDoor = new FrontDoorService(harness.database.db, clock, practicePack('nsw'), undefined);
      const gathered = gatherReport(frontDoor.pack, 'phone', reportFields({ childCount: '1' }), frontDoor.today());
      assert.ok(gathered.ok);
      const received = await frontDoor.submit(actorAsAuditWho(staff.actor), { channel: 'phone', report: gathered.value });
      assert.equal(received.outcome, 'received');
      const status = await new TestClient(harness.app).get(`/report/status/${received.outcome === 'received' ? received.statusToken : ''}`);
      assert.equal(status.statusCode, 200);
      assert.match(pageText(status.body), /Received: the helpline has your report/);
    });

    it('answers any search typed on the identify page, and no child that is not in the report, without a 500', async () => {
      const client = await signedIn(worker);
      const reportUrl = await recordPhoneReport(client, reportFields({ childCount: '1' }));
      for (const query of ['given=%00%01%02&family=', 'given=&family=', `given=${'x'.repeat(5000)}`, 'given=%F0%9F%98%80%ED%A0%80&family=%3Cscript%3E', 'given=a&given=b']) {
        const page = await client.get(`${reportUrl}/children/1?${query}`);
        assert.equal(page.statusCode, 200, query);
        assert.ok(!page.body.includes('<script>'), query);
      }
      assert.equal((await client.get(`${reportUrl}/children/9`)).statusCode, 404);
      assert.equal((await client.get(`${reportUrl}/children/abc`)).statusCode, 404);
    });

    it('accounts for every report on the dashboard', async () => {
      const client = await signedIn(worker);
      const page = await client.get('/front-door');
      assert.equal(page.statusCode, 200);
      const counts = await asSystem(harness.database.db, (trx) => trx.selectFrom('reports').select('status').where('organisation_id', '=', worker.organisationId).execute());
      const text = pageText(page.body);
      assert.match(text, new RegExp(`All reports ${counts.length}`));
      assert.match(text, new RegExp(`Awaiting screening ${counts.filter((c) => c.status === 'awaiting_screening').length}`));
      assert.match(text, /Within 24 hours 1/);
      assert.match(text, /Referred to family support 1/);
      assert.match(text, /Overdue \(screened in, past due\) 1/);
      assert.match(text, /Parramatta office 1 1 overdue/, "each office's queue with its overdue work");
      assert.match(text, /Reports no office covers 1 0/);
    });

    it('lets a caseworker read reports but not record or screen them, and keeps partner agencies out', async () => {
      const reader = await signedIn(caseworker);
      assert.equal((await reader.get('/front-door')).statusCode, 200);
      assert.equal((await reader.get('/front-door/reports/new')).statusCode, 403);
      const outsider = await signedIn(partner);
      assert.equal((await outsider.get('/front-door')).statusCode, 403);
    });
  });
}
