import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { HearthDatabase } from '../../src/db/connect.ts';
import type { DuplicatePair } from '../../src/features/duplicates/finder.ts';
import type { GeneratedPerson } from '../../src/features/person-index/generate/generate-people.ts';
import { MIN_PEOPLE_TO_LEARN } from '../../src/features/person-index/service.ts';
import type { AddressInput } from '../../src/features/people/schemas.ts';
import { actorAsAuditWho } from '../../src/platform/audit/audit-log.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createPeopleServices } from '../../src/services.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, personDetails, type TestStaff } from '../support/factories.ts';
import { importGeneratedPeople } from '../support/person-index.ts';

const TODAY = '2025-06-15';

const home: AddressInput = { line1: '12 Wattle Street', line2: null, suburb: 'Orange', state: 'NSW', postcode: '2800', country: null, livedFrom: null, livedUntil: null };

const pairKey = (a: string, b: string) => [a, b].sort().join('|');

/** The pairs the generator made on purpose: each near-duplicate with the person it repeats. */
const truePairs = (people: readonly GeneratedPerson[]) => new Set(people.filter((p) => p.duplicate_of).map((p) => pairKey(p.external_id, p.duplicate_of!)));
const foundPairs = (found: readonly DuplicatePair[]) => new Set(found.map((p) => pairKey(p.externalIdA ?? p.personAId, p.externalIdB ?? p.personBId)));

for (const engine of testEngines()) {
  describe(`duplicates [${engine.name}]`, () => {
    let database: HearthDatabase;
    let services: ReturnType<typeof createPeopleServices>;

    before(async () => {
      database = await engine.createDatabase();
      services = createPeopleServices(database.db, fixedClock(`${TODAY}T02:00:00Z`), 'Australia/Sydney');
    });
    after(() => database.close());

    const staffIn = async (name: string) => createStaff(database, await createOrganisation(database, name), 'caseworker');
    const queueRows = (organisationId: string) =>
      database.db.selectFrom('duplicate_candidates').selectAll().where('organisation_id', '=', organisationId).orderBy('id').execute();

    describe('the finder', () => {
      let reviewer: TestStaff;
      let people: GeneratedPerson[];
      let first: Awaited<ReturnType<typeof services.finder.find>>;
      const own = { mia: '', mya: '', twin: '', brother: '' };

      before(async () => {
        reviewer = await staffIn('Small');
        people = await importGeneratedPeople(services.importer, actorAsAuditWho(reviewer.actor), { count: 300, seed: 21, duplicateShare: 0.1, referenceDate: '2025-06-01' });
        // A family of our own: the same girl recorded twice, her twin sister and her brother, all at one address.
        const create = async (givenNames: string, familyName: string, dateOfBirth: string, sex: 'female' | 'male') => {
          const id = (await services.people.create(reviewer.actor, personDetails({ givenNames, familyName, dateOfBirth, sex }))).id;
          await services.people.addAddress(reviewer.actor, id, home, true);
          return id;
        };
        own.mia = await create('Mia', 'Thompson', '2014-03-09', 'female');
        own.mya = await create('Mya', 'Thomson', '2014-03-09', 'female');
        own.twin = await create('Ella', 'Thompson', '2014-03-09', 'female');
        own.brother = await create('Noah', 'Thompson', '2011-05-02', 'male');
        first = await services.finder.find(actorAsAuditWho(reviewer.actor));
      });

      it('queues every near-duplicate the generator made, and not the families they live with', () => {
        const truth = truePairs(people);
        const found = foundPairs(first.found);
        assert.ok(truth.size >= 20, 'the population has near-duplicates to find');
        const missed = [...truth].filter((key) => !found.has(key));
        assert.deepEqual(missed, [], 'every near-duplicate is found');
        const generatedIds = new Set(people.map((p) => p.external_id));
        const wrong = first.found.filter((p) => p.externalIdA && generatedIds.has(p.externalIdA) && !truth.has(pairKey(p.externalIdA, p.externalIdB ?? '')));
        assert.ok(wrong.length <= truth.size / 4, `few pairs of different people: ${wrong.length} for ${truth.size} true pairs`);
        assert.ok(first.pairsCompared > first.found.length, 'blocking proposed more pairs than were likely');
        assert.equal(first.truncated, false);
      });

      it('puts the same girl recorded twice in the queue as a likely match, her twin at most as possible, her brother not at all', () => {
        const pairOf = (x: string, y: string) => first.found.find((p) => pairKey(p.personAId, p.personBId) === pairKey(x, y));
        assert.equal(pairOf(own.mia, own.mya)?.result.decision, 'match');
        assert.notEqual(pairOf(own.mia, own.twin)?.result.decision, 'match');
        assert.equal(pairOf(own.mia, own.brother), undefined);
        assert.equal(pairOf(own.twin, own.brother), undefined);
      });

      it('writes every pair found to the queue, pending, with its score and explanation, best first in the result', async () => {
        const rows = await queueRows(reviewer.organisationId);
        assert.equal(first.queued, first.found.length);
        assert.equal(rows.length, first.found.length);
        const weights = first.found.map((p) => p.result.weight);
        assert.deepEqual(weights, [...weights].sort((a, b) => b - a));
        for (const row of rows) {
          assert.equal(row.status, 'pending');
          assert.ok(row.person_a_id < row.person_b_id);
          assert.ok(row.decision === 'match' || row.decision === 'possible');
          const pair = first.found.find((p) => p.personAId === row.person_a_id && p.personBId === row.person_b_id);
          assert.ok(pair, 'stored as found, the lower id first');
          assert.equal(row.weight, pair.result.weight);
          assert.deepEqual(row.comparisons, JSON.parse(JSON.stringify(pair.result.comparisons)));
        }
        const audit = await database.db
          .selectFrom('audit_events')
          .select(['action', 'details', 'record_type'])
          .where('organisation_id', '=', reviewer.organisationId)
          .where('action', '=', 'people.duplicates_found')
          .execute();
        assert.deepEqual(audit, [{ action: 'people.duplicates_found', record_type: 'duplicate_candidate', details: { pairsCompared: first.pairsCompared, found: first.found.length, queued: first.queued } }]);
      });

      it(`learns no model from fewer than ${MIN_PEOPLE_TO_LEARN} people: the default model serves`, async () => {
        const models = await database.db.selectFrom('matching_models').select('organisation_id').where('organisation_id', '=', reviewer.organisationId).execute();
        assert.deepEqual(models, []);
      });

      it('leaves decided pairs decided on a second run, and updates the pending ones in place', async () => {
        const queue = await services.duplicates.pending(reviewer.actor, 500);
        const [toDismiss, toMerge] = queue.pairs.filter((p) => p.decision === 'match');
        assert.ok(toDismiss && toMerge);
        assert.equal(await services.duplicates.dismiss(reviewer.actor, toDismiss.id, toDismiss.version, 'Twins'), 'dismissed');
        const merged = await services.merges.merge(reviewer.actor, { survivorId: toMerge.a.id, mergedId: toMerge.b.id, survivorVersion: toMerge.a.version, mergedVersion: toMerge.b.version, reason: null });
        assert.equal(merged.outcome, 'merged');
        const before = await queueRows(reviewer.organisationId);

        const second = await services.finder.find(actorAsAuditWho(reviewer.actor));
        const after = await queueRows(reviewer.organisationId);
        assert.deepEqual(after.map((r) => r.id), before.map((r) => r.id), 'no pair queued twice');
        const statusOf = (rows: typeof after, id: string) => rows.find((r) => r.id === id);
        for (const [id, status] of [
          [toDismiss.id, 'dismissed'],
          [toMerge.id, 'merged'],
        ] as const) {
          const row = statusOf(after, id);
          assert.equal(row?.status, status);
          assert.deepEqual(row, statusOf(before, id), 'a decided pair is not touched');
        }
        assert.ok(!second.found.some((p) => p.personAId === toMerge.b.id || p.personBId === toMerge.b.id), 'the merged record is not compared again');
        // Pending pairs that still hold two records (not the merged one) are found and rescored again.
        const pending = after.filter((r) => r.status === 'pending' && r.person_a_id !== toMerge.b.id && r.person_b_id !== toMerge.b.id);
        assert.equal(second.queued, pending.length, 'the pending pairs were rescored');
        assert.ok(pending.every((r) => r.found_at.getTime() === statusOf(before, r.id)?.found_at.getTime()));
      });
    });

    it('learns the organisation\'s model from its people when there are enough, and still finds their duplicates', async () => {
      const registrar = await staffIn('Large');
      const count = MIN_PEOPLE_TO_LEARN + 100;
      const people = await importGeneratedPeople(services.importer, actorAsAuditWho(registrar.actor), { count, seed: 1, referenceDate: '2025-06-01' });
      const outcome = await services.finder.find(actorAsAuditWho(registrar.actor));
      const model = await database.db.selectFrom('matching_models').selectAll().where('organisation_id', '=', registrar.organisationId).executeTakeFirstOrThrow();
      assert.equal(model.records, count);
      assert.ok(model.candidate_pairs > count / 2);
      assert.match((model.model as { description: string }).description, new RegExp(`^Learned by expectation maximisation from ${count} records`));
      const truth = truePairs(people);
      const found = foundPairs(outcome.found);
      const recall = [...truth].filter((key) => found.has(key)).length / truth.size;
      assert.ok(recall >= 0.95, `recall ${recall}`);
      const wrong = [...found].filter((key) => !truth.has(key)).length;
      assert.ok(wrong <= truth.size / 4, `${wrong} pairs of different people for ${truth.size} true pairs`);
    });

    describe('the review queue', () => {
      let reviewer: TestStaff;
      const ids: Record<string, string> = {};
      const pairs: Record<string, string> = {};

      before(async () => {
        reviewer = await staffIn('Queue');
        for (const [key, given, family] of [
          ['a', 'Ava', 'Nguyen'],
          ['b', 'Eva', 'Nguyen'],
          ['c', 'Liam', 'Walsh'],
          ['d', 'William', 'Walsh'],
          ['e', 'Zara', 'Ali'],
          ['f', 'Sara', 'Ali'],
        ] as const) {
          ids[key] = (await services.people.create(reviewer.actor, personDetails({ givenNames: given, familyName: family, dateOfBirth: '2015-02-03' }))).id;
        }
        const queue = async (name: string, x: string, y: string, weight: number) => {
          const [a, b] = x < y ? [x, y] : [y, x];
          pairs[name] = (
            await database.db
              .insertInto('duplicate_candidates')
              .values({ organisation_id: reviewer.organisationId, person_a_id: a, person_b_id: b, weight, probability: 0.9, decision: weight > 15 ? 'match' : 'possible', comparisons: JSON.stringify([{ field: 'given_name', level: 'typo', weight: 3, explanation: 'Given name: close' }]) })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id;
        };
        await queue('ab', ids.a!, ids.b!, 12);
        await queue('cd', ids.c!, ids.d!, 18);
        await queue('ef', ids.e!, ids.f!, 9);
      });

      it('lists pending pairs best first, with both people, and counts them', async () => {
        const { pairs: listed, total } = await services.duplicates.pending(reviewer.actor);
        assert.equal(total, 3);
        assert.deepEqual(listed.map((p) => p.id), [pairs.cd, pairs.ab, pairs.ef]);
        assert.deepEqual(
          listed.map((p) => [p.a.name, p.b.name].sort()),
          [
            ['Liam Walsh', 'William Walsh'],
            ['Ava Nguyen', 'Eva Nguyen'],
            ['Sara Ali', 'Zara Ali'],
          ],
        );
        assert.equal((await services.duplicates.pending(reviewer.actor, 1)).pairs.length, 1);
        const found = await services.duplicates.find(reviewer.actor, pairs.ab!);
        assert.deepEqual(found?.comparisons, [{ field: 'given_name', level: 'typo', weight: 3, explanation: 'Given name: close' }]);
        assert.equal(found?.status, 'pending');
      });

      it("finds nothing of another organisation's queue", async () => {
        const outsider = await staffIn('Outsider');
        assert.equal(await services.duplicates.find(outsider.actor, pairs.ab!), undefined);
        assert.deepEqual(await services.duplicates.pending(outsider.actor), { pairs: [], total: 0 });
        assert.equal(await services.duplicates.dismiss(outsider.actor, pairs.ab!, 1, null), 'not_found');
        assert.equal((await services.duplicates.find(reviewer.actor, pairs.ab!))?.status, 'pending');
      });

      it('refuses a dismissal from a stale version, writing nothing', async () => {
        await database.db.updateTable('duplicate_candidates').set({ version: 2, weight: 12.5 }).where('id', '=', pairs.ab!).execute(); // the finder rescored it
        const storyBefore = await database.db.selectFrom('story_events').select('id').where('person_id', 'in', [ids.a!, ids.b!]).execute();
        assert.equal(await services.duplicates.dismiss(reviewer.actor, pairs.ab!, 1, null), 'stale');
        assert.equal((await services.duplicates.find(reviewer.actor, pairs.ab!))?.status, 'pending');
        assert.deepEqual(await database.db.selectFrom('story_events').select('id').where('person_id', 'in', [ids.a!, ids.b!]).execute(), storyBefore);
        assert.equal(await services.duplicates.dismiss(reviewer.actor, randomUUID(), 1, null), 'not_found');
      });

      it('dismisses a pair: it leaves the queue, both stories say so, and both are audited', async () => {
        assert.equal(await services.duplicates.dismiss(reviewer.actor, pairs.ab!, 2, 'Different mothers'), 'dismissed');
        const pair = await services.duplicates.find(reviewer.actor, pairs.ab!);
        assert.equal(pair?.status, 'dismissed');
        assert.equal(pair.version, 3);
        const row = await database.db.selectFrom('duplicate_candidates').select(['decided_by', 'decided_at']).where('id', '=', pairs.ab!).executeTakeFirstOrThrow();
        assert.equal(row.decided_by, reviewer.id);
        assert.equal(row.decided_at?.toISOString(), `${TODAY}T02:00:00.000Z`);
        assert.deepEqual((await services.duplicates.pending(reviewer.actor)).pairs.map((p) => p.id), [pairs.cd, pairs.ef]);
        for (const [self, other] of [
          [ids.a!, 'Eva Nguyen'],
          [ids.b!, 'Ava Nguyen'],
        ] as const) {
          const story = await database.db.selectFrom('story_events').select(['kind', 'summary', 'actor_user_id']).where('person_id', '=', self).orderBy('created_at').execute();
          assert.deepEqual(story.at(-1), {
            kind: 'person.duplicate_dismissed',
            summary: `Checked against the record of ${other} (born 3 February 2015): not the same person (Different mothers)`,
            actor_user_id: reviewer.id,
          });
          const audit = await database.db.selectFrom('audit_events').select(['action', 'record_id', 'actor_user_id']).where('subject_person_id', '=', self).orderBy('seq', 'desc').executeTakeFirstOrThrow();
          assert.deepEqual(audit, { action: 'person.duplicate_dismissed', record_id: pairs.ab, actor_user_id: reviewer.id });
        }
        assert.equal(await services.duplicates.dismiss(reviewer.actor, pairs.ab!, 3, null), 'stale', 'a decided pair cannot be dismissed again');
      });

      it('drops a pair from the queue once either person is merged elsewhere', async () => {
        const other = (await services.people.create(reviewer.actor, personDetails({ givenNames: 'Zahra', familyName: 'Ali' }))).id;
        const merged = await services.merges.merge(reviewer.actor, { survivorId: other, mergedId: ids.f!, survivorVersion: 1, mergedVersion: 1, reason: null });
        assert.equal(merged.outcome, 'merged');
        const { pairs: listed, total } = await services.duplicates.pending(reviewer.actor);
        assert.deepEqual(listed.map((p) => p.id), [pairs.cd]);
        assert.equal(total, 1);
        const pair = await services.duplicates.find(reviewer.actor, pairs.ef!);
        assert.equal([pair?.a, pair?.b].find((member) => member?.id === ids.f)?.mergedIntoId, other, 'the pair still says where the record went');
      });
    });
  });
}
