import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createPeopleServices } from '../../src/services.ts';
import type { PersonDetails } from '../../src/features/people/schemas.ts';
import { actorAsAuditWho } from '../../src/platform/audit/audit-log.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { pageText, startTestApp, TestClient, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, personDetails } from '../support/factories.ts';
import { checkedValue, formFields, unescapeHtml } from '../support/html.ts';

/**
 * The duplicate review, as a team manager uses it: the queue, a pair side by side with the matcher's
 * reasons, "not the same person", a merge that keeps everything, and an undo that gives both records
 * back exactly as they were. Refusals are GOV.UK errors and leave nothing half-written.
 */

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** What a reviewer's decisions add to a story; everything else in it must stay as it was. */
const DECISION_EVENTS = ['person.merged', 'person.unmerged', 'person.duplicate_dismissed'];

/** The cells of each body row of the table with this caption, as a user reads them. */
function tableRows(html: string, caption: string): string[][] {
  const table = [...html.matchAll(/<table\b[\s\S]*?<\/table>/g)].map((m) => m[0]).find((t) => new RegExp(`<caption[^>]*>${caption}</caption>`).test(t));
  assert.ok(table, `a table captioned "${caption}"`);
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => unescapeHtml(pageText(cell[1]!))));
}

function errorSummary(html: string): { href: string; text: string }[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => ({ href: m[1]!, text: unescapeHtml(pageText(m[2]!)) }));
}

function successBanner(html: string): string {
  const banner = /<div class="govuk-notification-banner govuk-notification-banner--success"[\s\S]*?<\/div>\s*<\/div>/.exec(html)?.[0] ?? '';
  return unescapeHtml(pageText(banner));
}

for (const engine of testEngines()) {
  describe(`duplicate review [${engine.name}]`, () => {
    let harness: TestApp;

    before(async () => {
      harness = await startTestApp(engine);
    });
    after(() => harness.close());

    /** An organisation of its own for each test: a team manager signed in, a caseworker, the services. */
    async function office() {
      const organisationId = await createOrganisation(harness.database);
      const manager = await createStaff(harness.database, organisationId, 'team_manager', { displayName: 'Morgan Manager' });
      const caseworker = await createStaff(harness.database, organisationId, 'caseworker', { displayName: 'Casey Worker' });
      const services = createPeopleServices(harness.database.db, systemClock, harness.config.timeZone);
      const client = new TestClient(harness.app);
      await client.signIn(manager);
      return { organisationId, manager, caseworker, services, client };
    }
    type Office = Awaited<ReturnType<typeof office>>;

    const person = (o: Office, details: Partial<PersonDetails>) => o.services.people.create(o.caseworker.actor, personDetails(details));

    /** Runs the finder (with the default model: a handful of people teach it nothing) and returns the queued pair of these two. */
    async function queued(o: Office, first: string, second: string) {
      await o.services.finder.find(actorAsAuditWho(o.manager.actor), { learn: false });
      const pair = (await o.services.duplicates.pending(o.manager.actor)).pairs.find((p) => new Set([p.a.id, p.b.id, first, second]).size === 2);
      assert.ok(pair, 'the finder queued the pair');
      return pair;
    }

    /** Two records of one child: the same name but for a letter, the same date of birth and Medicare number. */
    async function duplicateChild(o: Office, family = 'Dupont') {
      const first = await person(o, { givenNames: 'Hannah', familyName: family, dateOfBirth: '2014-02-03', sex: 'female' });
      const second = await person(o, { givenNames: 'Hanna', familyName: family, dateOfBirth: '2014-02-03', sex: 'female' });
      for (const p of [first, second]) {
        assert.equal((await o.services.people.addIdentifier(o.caseworker.actor, p.id, { identifierType: 'medicare', value: '2123456701' })).outcome, 'saved');
      }
      return queued(o, first.id, second.id);
    }

    /** What the decision form would send now, with the decision made. */
    async function decide(o: Office, pairId: string, decision: string, reason = '') {
      const page = await o.client.get(`/people/duplicates/${pairId}`);
      assert.equal(page.statusCode, 200);
      return o.client.post(`/people/duplicates/${pairId}`, { ...formFields(page.body, `/people/duplicates/${pairId}`), decision, reason });
    }

    /** Everything a refused decision must leave as it was. */
    const state = async () =>
      (
        await sql<{ state: string }>`
          select concat_ws(' ',
            (select string_agg(id || ':' || version || ':' || coalesce(merged_into_id::text, '-'), ',' order by id) from people),
            (select count(*) from person_merges),
            (select count(*) from person_merge_moves),
            (select string_agg(id || ':' || status || ':' || version, ',' order by id) from duplicate_candidates),
            (select count(*) from story_events),
            (select count(*) from person_names),
            (select count(*) from relationships)
          ) as state`.execute(harness.database.db)
      ).rows[0]!.state;

    /** A person's record as stored: every row of theirs, without the version and time of the last change. */
    async function stored(personId: string) {
      const db = harness.database.db;
      const row = await db.selectFrom('people').select(['given_names', 'family_name', 'date_of_birth', 'sex', 'merged_into_id']).where('id', '=', personId).executeTakeFirstOrThrow();
      const ids = async (table: 'person_names' | 'person_addresses' | 'person_identifiers') => (await db.selectFrom(table).select('id').where('person_id', '=', personId).orderBy('id').execute()).map((r) => r.id);
      const relationships = await db
        .selectFrom('relationships')
        .select(['id', 'person_id', 'related_person_id', 'relationship_type', 'version'])
        .where((eb) => eb.or([eb('person_id', '=', personId), eb('related_person_id', '=', personId)]))
        .orderBy('id')
        .execute();
      const story = await db.selectFrom('story_events').select(['id', 'summary']).where('person_id', '=', personId).where('kind', 'not in', DECISION_EVENTS).orderBy('occurred_at').orderBy('id').execute();
      return { row, names: await ids('person_names'), addresses: await ids('person_addresses'), identifiers: await ids('person_identifiers'), relationships, story };
    }

    const storyOf = async (personId: string) =>
      (await harness.database.db.selectFrom('story_events').select(['kind', 'summary']).where('person_id', '=', personId).orderBy('occurred_at').orderBy('id').execute());

    describe('the queue', () => {
      it('lists the pending pairs strongest first, with a link to review each', async () => {
        const o = await office();
        const empty = await o.client.get('/people/duplicates');
        assert.equal(empty.statusCode, 200);
        assert.match(pageText(empty.body), /There are no possible duplicates to review\./);

        const strong = await duplicateChild(o);
        const jordan = await person(o, { givenNames: 'Jordan', familyName: 'Reed', dateOfBirth: '2011-08-19', sex: 'male' });
        const jordon = await person(o, { givenNames: 'Jordon', familyName: 'Reid', dateOfBirth: '2011-08-19', sex: 'male' });
        const weaker = await queued(o, jordan.id, jordon.id);
        assert.ok(strong.weight > weaker.weight, `the Dupont pair (${strong.weight}) is stronger than the Reed pair (${weaker.weight})`);

        const response = await o.client.get('/people/duplicates');
        assert.equal(response.statusCode, 200);
        const text = pageText(response.body);
        assert.match(text, /2 pairs to review/);
        const rows = tableRows(response.body, 'Pairs to review');
        assert.equal(rows.length, 2);
        assert.deepEqual(rows.map((r) => [r[0] ?? '', r[1] ?? ''].map((cell) => cell.replace(/ born .*/, '')).sort().join(' / ')), ['Hanna Dupont / Hannah Dupont', 'Jordan Reed / Jordon Reid']);
        assert.match(rows[0]![0]!, /born 3 February 2014/);
        assert.match(rows[0]![2]!, /^Likely match \(\d+%|>99%\)/);
        const links = [...response.body.matchAll(new RegExp(`href="/people/duplicates/(${UUID})"`, 'g'))].map((m) => m[1]);
        assert.deepEqual(links, [strong.id, weaker.id]);
        assert.match(response.body, /Review<span class="govuk-visually-hidden"> Hanna(h)? Dupont and Hanna(h)? Dupont<\/span>/, 'each link says which pair, for a screen reader');
      });

      it('is for team managers only: others are told they may not see it', async () => {
        const o = await office();
        await duplicateChild(o);
        for (const role of ['helpline_worker', 'caseworker', 'auditor', 'partner_agency'] as const) {
          const client = new TestClient(harness.app);
          await client.signIn(await createStaff(harness.database, o.organisationId, role));
          const response = await client.get('/people/duplicates');
          assert.equal(response.statusCode, 403, role);
          assert.ok(!pageText(response.body).includes('Dupont'), role);
        }
      });
    });

    describe('a pair', () => {
      it('shows both records side by side, what differs, and the reasons the matcher gave', async () => {
        const o = await office();
        const pair = await duplicateChild(o);
        const response = await o.client.get(`/people/duplicates/${pair.id}`);
        assert.equal(response.statusCode, 200);
        assert.match(response.body, new RegExp(`<title>Are ${pair.a.name} and ${pair.b.name} the same person\\? - Hearth</title>`));
        assert.match(response.body, new RegExp(`Record A: <a class="govuk-link" href="/people/${pair.a.id}">${pair.a.name}</a>`));
        assert.match(response.body, new RegExp(`Record B: <a class="govuk-link" href="/people/${pair.b.id}">${pair.b.name}</a>`));
        const records = new Map(tableRows(response.body, 'The two records').map(([label, a, b]) => [label, [a, b]]));
        assert.deepEqual(records.get('Name (different)'), [pair.a.name, pair.b.name]);
        assert.deepEqual(records.get('Date of birth'), ['3 February 2014', '3 February 2014']);
        assert.deepEqual(records.get('Identifiers'), ['Medicare card number: 2123 45670 1', 'Medicare card number: 2123 45670 1']);
        const reasons = tableRows(response.body, 'What the matcher compared, and how much each counted');
        const lines = reasons.map(([what, counts, weight]) => `${what} | ${counts} | ${weight}`);
        assert.ok(lines.some((l) => /^Given name: .*"Hanna".*"Hannah"|^Given name: .*"Hannah".*"Hanna"/.test(l) && / \| For \| \+\d+\.\d$/.test(l)), lines.join('\n'));
        assert.ok(lines.some((l) => /^Date of birth: 3\/2\/2014 agrees \| For \| \+\d+\.\d$/.test(l)), lines.join('\n'));
        assert.ok(lines.some((l) => /^Identifier \(medicare\): 2123456701 agrees \| For/.test(l)), lines.join('\n'));
        assert.equal(checkedValue(response.body, 'decision'), undefined, 'no decision is made for the reviewer');
        const fields = formFields(response.body, `/people/duplicates/${pair.id}`);
        assert.deepEqual([fields.version, fields.versionA, fields.versionB], [String(pair.version), String(pair.a.version), String(pair.b.version)]);
      });

      it('answers 404 for a pair that does not exist', async () => {
        const o = await office();
        assert.equal((await o.client.get('/people/duplicates/00000000-0000-4000-8000-000000000000')).statusCode, 404);
        assert.equal((await o.client.post('/people/duplicates/00000000-0000-4000-8000-000000000000', { decision: 'different', version: '1', versionA: '1', versionB: '1' })).statusCode, 404);
      });
    });

    describe('deciding', () => {
      it('"Not the same person" takes the pair off the queue, keeps both records, and says so on both stories', async () => {
        const o = await office();
        const pair = await duplicateChild(o);
        const [a, b] = [await stored(pair.a.id), await stored(pair.b.id)];
        const response = await decide(o, pair.id, 'different', 'Different schools, checked by phone');
        assert.equal(response.statusCode, 303);
        assert.equal(response.headers.location, '/people/duplicates?done=dismissed');
        const queue = await o.client.get(response.headers.location);
        assert.match(successBanner(queue.body), /Marked as not the same person/);
        assert.ok(!queue.body.includes(pair.id), 'the pair has left the queue');
        assert.match(pageText(queue.body), /There are no possible duplicates to review/);

        for (const [self, other] of [
          [pair.a, pair.b],
          [pair.b, pair.a],
        ] as const) {
          const story = await storyOf(self.id);
          assert.deepEqual(story.at(-1), {
            kind: 'person.duplicate_dismissed',
            summary: `Checked against the record of ${other.name} (born 3 February 2014): not the same person (Different schools, checked by phone)`,
          });
          const page = await o.client.get(`/people/${self.id}`);
          assert.match(pageText(page.body), /Checked against the record of .*: not the same person/);
        }
        // Nothing else changed on either record.
        assert.deepEqual([await stored(pair.a.id), await stored(pair.b.id)], [a, b]);
        const audit = await harness.database.db.selectFrom('audit_events').select(['action', 'subject_person_id', 'actor_user_id']).where('record_id', '=', pair.id).orderBy('seq').execute();
        assert.deepEqual(
          audit.map((r) => [r.action, r.subject_person_id, r.actor_user_id]),
          [
            ['person.duplicate_dismissed', pair.a.id, o.manager.id],
            ['person.duplicate_dismissed', pair.b.id, o.manager.id],
          ],
        );
        // The finder, run again, leaves a decided pair decided.
        await o.services.finder.find(actorAsAuditWho(o.manager.actor), { learn: false });
        assert.equal((await o.services.duplicates.pending(o.manager.actor)).total, 0);
      });

      it('"merge, keeping record A" keeps every fact of both on A, and B points to A with a way to undo', async () => {
        const o = await office();
        const pair = await duplicateChild(o);
        assert.equal((await o.services.people.addName(o.caseworker.actor, pair.b.id, { nameType: 'known_as', givenNames: 'Annie', familyName: 'Dupont' })).outcome, 'saved');
        const response = await decide(o, pair.id, 'keep_a', 'Same Medicare number and date of birth');
        assert.equal(response.statusCode, 303);
        assert.equal(response.headers.location, `/people/${pair.a.id}?saved=merged`);

        const kept = await o.client.get(response.headers.location);
        assert.equal(kept.statusCode, 200);
        const keptText = pageText(kept.body);
        assert.match(successBanner(kept.body), /Records merged\. Everything from both records is here; the merge can be undone below\./);
        assert.match(keptText, /Annie Dupont/, "B's other name is on A now");
        assert.match(keptText, new RegExp(`Records merged into this one ${pair.b.name} ?, born 3 February 2014: merged .* by Morgan Manager · Undo this merge`));
        assert.match(keptText, new RegExp(`Record of ${pair.b.name} \\(born 3 February 2014\\) merged into this record: Same Medicare number and date of birth`));
        const undoHref = new RegExp(`href="(/people/merges/(${UUID})/undo)"`).exec(kept.body);
        assert.ok(undoHref, 'an undo link on the kept record');

        const merged = await o.client.get(`/people/${pair.b.id}`);
        assert.equal(merged.statusCode, 200);
        const mergedText = pageText(merged.body);
        assert.match(mergedText, new RegExp(`Merged record This record was merged into the record of ${pair.a.name} on .* by Morgan Manager\\.`));
        assert.match(merged.body, new RegExp(`href="/people/${pair.a.id}">${pair.a.name}</a>`));
        assert.ok(merged.body.includes(`href="${undoHref[1]}"`), 'the same undo link on the merged record');
        assert.match(mergedText, new RegExp(`Merged into the record of ${pair.a.name} \\(born 3 February 2014\\)`));
        // The merged record is read-only: no change links on its page, and a change sent anyway is refused.
        assert.ok(kept.body.includes(`href="/people/${pair.a.id}/relationships/new"`), 'the kept record can be changed');
        assert.ok(!merged.body.includes(`href="/people/${pair.b.id}/`), 'no link on the merged record leads to a change of it');
        for (const form of ['edit', 'names/new', 'addresses/new', 'identifiers/new', 'relationships/new']) {
          const page = await o.client.get(`/people/${pair.b.id}/${form}`);
          assert.equal(page.statusCode, 409, form);
          assert.match(pageText(page.body), /This record was merged into another .* cannot be changed here/, form);
        }
        const edit = await o.client.post(`/people/${pair.b.id}/names`, { nameType: 'alias', givenNames: 'Changed', familyName: 'Dupont' });
        assert.equal(edit.statusCode, 404);
        assert.doesNotMatch(pageText((await o.client.get(`/people/${pair.b.id}`)).body), /Changed/);

        // The pair has left the queue, and a search finds one child, not two.
        assert.doesNotMatch(pageText((await o.client.get('/people/duplicates')).body), /Dupont/);
        const search = await o.client.get('/people?given=Hannah&family=Dupont');
        assert.ok(search.body.includes(`href="/people/${pair.a.id}"`) && !search.body.includes(`href="/people/${pair.b.id}"`));
        const audit = await harness.database.db.selectFrom('audit_events').select(['action', 'subject_person_id']).where('record_id', '=', undoHref[2]!).orderBy('seq').execute();
        assert.deepEqual(audit.map((r) => [r.action, r.subject_person_id]).sort(), [['person.merged', pair.a.id], ['person.merged', pair.b.id]].sort());
      });

      it('"merge, keeping record B" keeps B', async () => {
        const o = await office();
        const pair = await duplicateChild(o);
        const response = await decide(o, pair.id, 'keep_b');
        assert.equal(response.headers.location, `/people/${pair.b.id}?saved=merged`);
        const merged = await harness.database.db.selectFrom('people').select('merged_into_id').where('id', '=', pair.a.id).executeTakeFirstOrThrow();
        assert.equal(merged.merged_into_id, pair.b.id);
      });
    });

    describe('undoing a merge', () => {
      it('asks first, then gives both records back exactly as they were, with their stories', async () => {
        const o = await office();
        const sibling = await person(o, { givenNames: 'Noah', familyName: 'Dupont', dateOfBirth: '2016-05-05', sex: 'male' });
        const pair = await duplicateChild(o);
        assert.equal((await o.services.people.addRelationship(o.caseworker.actor, pair.b.id, { relatedPersonId: sibling.id, relationshipType: 'sibling', startedOn: null, endedOn: null, notes: null })).outcome, 'saved');
        assert.equal((await o.services.people.addAddress(o.caseworker.actor, pair.b.id, { line1: '9 Test Street', line2: null, suburb: 'Parramatta', state: 'NSW', postcode: '2150', country: null, livedFrom: null, livedUntil: null }, false)).outcome, 'saved');
        const page = await o.client.get(`/people/duplicates/${pair.id}`);
        const refreshed = formFields(page.body, `/people/duplicates/${pair.id}`);
        const before = { a: await stored(pair.a.id), b: await stored(pair.b.id), sibling: await stored(sibling.id) };

        const merge = await o.client.post(`/people/duplicates/${pair.id}`, { ...refreshed, decision: 'keep_a' });
        assert.equal(merge.statusCode, 303);
        const kept = await o.client.get(merge.headers.location!);
        const undoHref = new RegExp(`href="(/people/merges/${UUID}/undo)"`).exec(kept.body)?.[1];
        assert.ok(undoHref);
        assert.match(pageText((await o.client.get(`/people/${sibling.id}`)).body), new RegExp(`${pair.a.name}`), "the sibling's network shows the kept record");

        const confirm = await o.client.get(undoHref);
        assert.equal(confirm.statusCode, 200);
        assert.match(pageText(confirm.body), /Undo this merge\? On .* the record of .* was merged into the record of .* Both records become separate again/);
        assert.ok(pageText(confirm.body).includes(`merged into the record of ${pair.a.name}`), 'it names the kept record');
        assert.match(confirm.body, new RegExp(`<form method="post" action="${undoHref}">`));

        const undone = await o.client.post(undoHref, {});
        const undonePage = await o.client.get(undoHref);
        assert.match(pageText(undonePage.body), /This merge has already been undone/);
        assert.doesNotMatch(undonePage.body, /<form method="post" action="\/people\/merges/, 'no second undo is offered');
        assert.equal((await o.client.get('/people/merges/00000000-0000-4000-8000-000000000000/undo')).statusCode, 404, 'an unknown merge is a 404');
        assert.equal(undone.statusCode, 303);
        assert.equal(undone.headers.location, `/people/${pair.a.id}?saved=unmerged`);
        const back = await o.client.get(undone.headers.location);
        assert.match(successBanner(back.body), /Merge undone: the two records are separate again\./);
        assert.doesNotMatch(pageText(back.body), /Records merged into this one/);
        assert.doesNotMatch(pageText((await o.client.get(`/people/${pair.b.id}`)).body), /This record was merged into/);

        assert.deepEqual({ a: await stored(pair.a.id), b: await stored(pair.b.id), sibling: await stored(sibling.id) }, before, 'every row is back with its owner');
        for (const [self, other] of [
          [pair.a, pair.b],
          [pair.b, pair.a],
        ] as const) {
          const kinds = (await storyOf(self.id)).slice(-2);
          assert.deepEqual(kinds.map((e) => e.kind), ['person.merged', 'person.unmerged']);
          assert.match(kinds[1]!.summary, new RegExp(`Merge undone: .*${other.name}`));
        }
        assert.equal((await o.services.duplicates.pending(o.manager.actor)).total, 0, 'an undone merge does not come back to the queue');

        const again = await o.client.post(undoHref, {});
        assert.equal(again.statusCode, 409);
        assert.deepEqual(errorSummary(again.body), [{ href: '#undo', text: 'This merge has already been undone.' }]);
      });

      it('refuses to undo a merge whose kept record was merged again later, until that one is undone', async () => {
        const o = await office();
        const pair = await duplicateChild(o);
        assert.equal((await decide(o, pair.id, 'keep_a')).statusCode, 303);
        const first = new RegExp(`href="(/people/merges/${UUID}/undo)"`).exec((await o.client.get(`/people/${pair.b.id}`)).body)?.[1];
        assert.ok(first);
        const third = await person(o, { givenNames: 'Hannah', familyName: 'Dupont', dateOfBirth: '2014-02-03', sex: 'female' });
        const later = await queued(o, pair.a.id, third.id);
        const survivorIsThird = later.a.id === third.id;
        assert.equal((await decide(o, later.id, survivorIsThird ? 'keep_a' : 'keep_b')).statusCode, 303);

        const before = await state();
        const refused = await o.client.post(first, {});
        assert.equal(refused.statusCode, 409);
        assert.deepEqual(errorSummary(refused.body), [{ href: '#undo', text: 'The record kept by this merge was itself merged into another record later: undo that merge first.' }]);
        assert.equal(await state(), before, 'nothing changed');
      });

      it('answers 404 for a merge that does not exist', async () => {
        const o = await office();
        assert.equal((await o.client.post('/people/merges/00000000-0000-4000-8000-000000000000/undo', {})).statusCode, 404);
      });
    });

    describe('refusals', () => {
      async function refusedWith(o: Office, pairId: string, fields: Record<string, string>, message: string) {
        const before = await state();
        const response = await o.client.post(`/people/duplicates/${pairId}`, fields);
        assert.equal(response.statusCode, 400, pageText(response.body).slice(0, 400));
        assert.match(pageText(response.body), /There is a problem/);
        assert.deepEqual(errorSummary(response.body), [{ href: '#decision', text: message }]);
        assert.match(response.body, /id="decision"/, 'the summary link has somewhere to go');
        assert.match(response.body, /<title>Error: /);
        assert.equal(await state(), before, 'nothing was written');
        return response;
      }

      it('asks for a decision when none is chosen, keeping the reason typed', async () => {
        const o = await office();
        const pair = await duplicateChild(o);
        const page = await o.client.get(`/people/duplicates/${pair.id}`);
        const response = await refusedWith(o, pair.id, { ...formFields(page.body, `/people/duplicates/${pair.id}`), reason: 'Same <b>school</b>' }, 'Select whether they are the same person, and which record to keep');
        assert.match(response.body, /Same &lt;b&gt;school&lt;\/b&gt;<\/textarea>/, 'the reason is kept, as text');
      });

      it('refuses to merge two people recorded as related to each other', async () => {
        const o = await office();
        const pair = await duplicateChild(o);
        assert.equal((await o.services.people.addRelationship(o.caseworker.actor, pair.a.id, { relatedPersonId: pair.b.id, relationshipType: 'sibling', startedOn: null, endedOn: null, notes: 'Twins' })).outcome, 'saved');
        const page = await o.client.get(`/people/duplicates/${pair.id}`);
        const response = await refusedWith(
          o,
          pair.id,
          { ...formFields(page.body, `/people/duplicates/${pair.id}`), decision: 'keep_a' },
          'They are recorded as related to each other (for example as siblings), so they are not the same person. If that relationship is wrong, end it first.',
        );
        assert.equal(checkedValue(response.body, 'decision'), 'keep_a', 'the choice made is kept');
      });

      it('refuses a merge when a record changed after the page was read, and shows the records as they are now', async () => {
        const o = await office();
        const pair = await duplicateChild(o);
        const page = await o.client.get(`/people/duplicates/${pair.id}`);
        const stale = formFields(page.body, `/people/duplicates/${pair.id}`);
        // Meanwhile a caseworker adds a name to record A.
        assert.equal((await o.services.people.addName(o.caseworker.actor, pair.a.id, { nameType: 'alias', givenNames: 'Hattie', familyName: 'Dupont' })).outcome, 'saved');
        const response = await refusedWith(o, pair.id, { ...stale, decision: 'keep_a' }, 'One of the records changed while you were reviewing. Look at them again before deciding.');
        const records = new Map(tableRows(response.body, 'The two records').map(([label, a, b]) => [label?.replace(' (different)', ''), [a, b]]));
        assert.match(records.get('Other names')![0]!, /Hattie Dupont/, 'the page shows the change');
        const fresh = formFields(response.body, `/people/duplicates/${pair.id}`);
        assert.notEqual(fresh.versionA, stale.versionA, 'the form now carries the current version');
        const merged = await o.client.post(`/people/duplicates/${pair.id}`, { ...fresh, decision: 'keep_a' });
        assert.equal(merged.statusCode, 303, 'deciding again, having seen the change, merges');
      });

      it('refuses a second decision on a pair already decided, and shows the pair as decided', async () => {
        const o = await office();
        const pair = await duplicateChild(o);
        const page = await o.client.get(`/people/duplicates/${pair.id}`);
        const fields = formFields(page.body, `/people/duplicates/${pair.id}`);
        // Two managers reviewing the same pair: the first says "not the same person".
        const otherManager = new TestClient(harness.app);
        await otherManager.signIn(await createStaff(harness.database, o.organisationId, 'team_manager'));
        const first = await otherManager.post(`/people/duplicates/${pair.id}`, { ...fields, decision: 'different' });
        assert.equal(first.statusCode, 303);
        await refusedWith(o, pair.id, { ...fields, decision: 'keep_a' }, 'This pair has already been decided');
        const decided = await o.client.get(`/people/duplicates/${pair.id}`);
        assert.match(pageText(decided.body), /A reviewer has already decided this pair: the records are kept as separate records\./);
        assert.doesNotMatch(decided.body, /name="decision"/, 'no decision form for a decided pair');
      });

      it('refuses to merge a record that was merged into another since it was queued', async () => {
        const o = await office();
        const pair = await duplicateChild(o);
        const third = await person(o, { givenNames: 'Hannah', familyName: 'Dupont', dateOfBirth: '2014-02-03', sex: 'female' });
        const other = await queued(o, pair.b.id, third.id);
        const page = await o.client.get(`/people/duplicates/${pair.id}`);
        const fields = formFields(page.body, `/people/duplicates/${pair.id}`);
        assert.equal((await decide(o, other.id, other.a.id === third.id ? 'keep_a' : 'keep_b')).statusCode, 303, 'B is merged into the third record');
        await refusedWith(o, pair.id, { ...fields, decision: 'keep_a' }, 'One of the records has already been merged. Go back to the queue: it shows only pairs still to review.');
      });

      it('writes nothing when a merge or an undo fails half way through', async () => {
        const o = await office();
        const pair = await duplicateChild(o);
        const db = harness.database.db;
        // The last step of each fails: the story event that says what happened.
        const failOn = async (kind: string, work: () => Promise<void>) => {
          await sql`create function hearth_test_fail() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`.execute(db);
          await sql`create trigger hearth_test_fail before insert on story_events for each row when (new.kind = ${sql.lit(kind)}) execute function hearth_test_fail()`.execute(db);
          try {
            await work();
          } finally {
            await sql`drop trigger hearth_test_fail on story_events`.execute(db);
            await sql`drop function hearth_test_fail()`.execute(db);
          }
        };
        const page = await o.client.get(`/people/duplicates/${pair.id}`);
        const fields = { ...formFields(page.body, `/people/duplicates/${pair.id}`), decision: 'keep_a' };
        await failOn('person.merged', async () => {
          const before = await state();
          const response = await o.client.post(`/people/duplicates/${pair.id}`, fields);
          assert.equal(response.statusCode, 500);
          assert.doesNotMatch(response.body, /injected failure|hearth_test_fail/, 'no internals on the page');
          assert.equal(await state(), before, 'no half-made merge');
        });
        const merged = await o.client.post(`/people/duplicates/${pair.id}`, fields);
        assert.equal(merged.statusCode, 303, 'the same merge goes through once the fault is gone');
        const undoHref = new RegExp(`href="(/people/merges/${UUID}/undo)"`).exec((await o.client.get(merged.headers.location!)).body)?.[1];
        assert.ok(undoHref);
        await failOn('person.unmerged', async () => {
          const before = await state();
          assert.equal((await o.client.post(undoHref, {})).statusCode, 500);
          assert.equal(await state(), before, 'no half-undone merge');
        });
        assert.equal((await o.client.post(undoHref, {})).statusCode, 303);
      });

      it('shows a hostile reason as text and refuses one too long, writing nothing', async () => {
        const o = await office();
        const pair = await duplicateChild(o);
        const page = await o.client.get(`/people/duplicates/${pair.id}`);
        const fields = formFields(page.body, `/people/duplicates/${pair.id}`);
        const before = await state();
        const response = await o.client.post(`/people/duplicates/${pair.id}`, { ...fields, decision: 'different', reason: 'x'.repeat(501) });
        assert.equal(response.statusCode, 400);
        assert.deepEqual(errorSummary(response.body), [{ href: '#reason', text: 'Reason must be 500 characters or fewer' }]);
        assert.equal(await state(), before);
        const hostile = await o.client.post(`/people/duplicates/${pair.id}`, { ...fields, decision: 'banana' });
        assert.equal(hostile.statusCode, 400);
        assert.equal(await state(), before);
      });
    });
  });
}
