import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { LightMyRequestResponse } from 'fastify';
import { createPeopleServices } from '../../src/services.ts';
import { createApiToken } from '../../src/platform/auth/api-tokens.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { isoDateIn } from '../../src/platform/time.ts';
import { pageText, startTestApp, TestClient, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, personDetails, type TestStaff } from '../support/factories.ts';
import { checkedValue, inputValue, unescapeHtml } from '../support/html.ts';
import { schemaValidator } from '../support/openapi.ts';

/**
 * The people search, as a worker at the front door uses it (GET /people) and as another system calls it
 * (GET /api/v1/people/search): forgiving, ranked, explained, validated in GOV.UK words, audited, and
 * never showing another organisation's people.
 */

const SCRIPT = '<script>window.hostile=1</script>';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** This year in Hearth's time zone: dates of birth are set relative to it, so that ages stay true. */
const TODAY = isoDateIn('Australia/Sydney', new Date());
const YEAR = Number(TODAY.slice(0, 4));
const CATHERINE_YEAR = YEAR - 12;

interface Result {
  readonly id: string;
  readonly name: string;
  readonly strength: string;
  readonly reasons: string[];
}

/** The results list as a worker reads it: each person's name, match strength and the "Why this match" lines. */
function results(html: string): Result[] {
  const list = /<ol class="govuk-list app-results">([\s\S]*?)<\/ol>\s*(?:<p|<\/main|<h2|$)/.exec(html)?.[1] ?? '';
  return list
    .split('<li class="app-results__item">')
    .slice(1)
    .map((item) => {
      const link = new RegExp(`<a class="govuk-link" href="/people/(${UUID})">([^<]*)</a>`).exec(item);
      assert.ok(link, `a result links to the person: ${item.slice(0, 300)}`);
      const why = /<div class="govuk-details__text">([\s\S]*?)<\/div>/.exec(item)?.[1] ?? '';
      return {
        id: link[1]!,
        name: unescapeHtml(pageText(link[2]!)),
        strength: unescapeHtml(pageText(/<strong class="govuk-tag[^"]*">([\s\S]*?)<\/strong>/.exec(item)?.[1] ?? '')),
        reasons: [...why.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => unescapeHtml(pageText(m[1]!))),
      };
    });
}

function errorSummaryLinks(html: string): { href: string; text: string }[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => ({ href: m[1]!, text: pageText(m[2]!) }));
}

const query = (fields: Record<string, string>) => `/people?${new URLSearchParams(fields).toString()}`;

for (const engine of testEngines()) {
  describe(`people search [${engine.name}]`, () => {
    let harness: TestApp;
    let helpline: TestStaff;
    let worker: TestClient;
    let token: string;
    let documented: (pointer: string) => ValidateFunction;
    const ids: Record<'catherine' | 'leo' | 'sarah' | 'kathryn' | 'markup' | 'elsewhere', string> = {
      catherine: '',
      leo: '',
      sarah: '',
      kathryn: '',
      markup: '',
      elsewhere: '',
    };

    before(async () => {
      harness = await startTestApp(engine);
      const organisation = await createOrganisation(harness.database, 'Own organisation');
      const elsewhere = await createOrganisation(harness.database, 'Other organisation');
      helpline = await createStaff(harness.database, organisation, 'helpline_worker');
      const caseworker = await createStaff(harness.database, organisation, 'caseworker');
      const otherWorker = await createStaff(harness.database, elsewhere, 'caseworker');
      const { people } = createPeopleServices(harness.database.db, systemClock, harness.config.timeZone);
      const add = async (staff: TestStaff, givenNames: string, familyName: string, dateOfBirth: string, sex: 'female' | 'male', line1?: string, suburb?: string, postcode?: string) => {
        const person = await people.create(staff.actor, personDetails({ givenNames, familyName, dateOfBirth, sex }));
        if (line1 && suburb) {
          const address = await people.addAddress(staff.actor, person.id, { line1, line2: null, suburb, state: 'NSW', postcode: postcode ?? null, country: null, livedFrom: null, livedUntil: null }, false);
          assert.equal(address.outcome, 'saved');
        }
        return person.id;
      };
      ids.catherine = await add(caseworker, 'Catherine', 'Thompson', `${CATHERINE_YEAR}-03-27`, 'female', '12 Sample Street', 'Parramatta', '2150');
      assert.equal((await people.addIdentifier(caseworker.actor, ids.catherine, { identifierType: 'medicare', value: '2123456701' })).outcome, 'saved');
      ids.leo = await add(caseworker, 'Leo', 'Thompson', `${YEAR - 7}-09-03`, 'male', '3 Other Road', 'Newcastle', '2300');
      ids.sarah = await add(caseworker, 'Sarah', 'Thompson', `${YEAR - 36}-02-20`, 'female', '12 Sample Street', 'Parramatta', '2150');
      ids.kathryn = await add(caseworker, 'Kathryn', 'Thomas', `${CATHERINE_YEAR}-07-27`, 'female');
      ids.markup = await add(caseworker, '<b>Bold</b>', 'Scriptson', '2015-01-01', 'male');
      // The same child, recorded by another organisation: never shown here.
      ids.elsewhere = await add(otherWorker, 'Catherine', 'Thompson', `${CATHERINE_YEAR}-03-27`, 'female', '12 Sample Street', 'Parramatta', '2150');
      assert.equal((await people.addIdentifier(otherWorker.actor, ids.elsewhere, { identifierType: 'medicare', value: '2123456701' })).outcome, 'saved');
      await harness.database.db.updateTable('people').set({ external_id: 'CMS-0042' }).where('id', '=', ids.catherine).execute();

      worker = new TestClient(harness.app);
      await worker.signIn(helpline);
      token = await createApiToken(harness.database.db, helpline.id, 'intake system');
      const doc = await harness.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      assert.equal(doc.statusCode, 200);
      const validator = schemaValidator(doc.json<Record<string, unknown>>());
      documented = (pointer) => validator(pointer);
    });
    after(() => harness.close());

    describe('the search page', () => {
      it('shows the form with every box, and neither results nor errors before a search', async () => {
        const response = await worker.get('/people');
        assert.equal(response.statusCode, 200);
        for (const name of ['given', 'family', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year', 'ageFrom', 'ageTo', 'street', 'suburb', 'postcode', 'identifier']) {
          assert.equal(inputValue(response.body, name), '', `an empty ${name} box`);
        }
        assert.equal(checkedValue(response.body, 'sex'), '', '"Either" is chosen');
        assert.match(response.body, /<form method="get" action="\/people" role="search" novalidate>/, 'a GET form: it works without JavaScript, and a search can be bookmarked');
        assert.doesNotMatch(pageText(response.body), /(people|person) found|There is a problem/);
      });

      it('finds a misspelt nickname at the top as a strong match, explains each field, and keeps the answers', async () => {
        const response = await worker.get(query({ given: 'Kate', family: 'Tomson', 'dateOfBirth-day': '27', 'dateOfBirth-month': '3', 'dateOfBirth-year': String(CATHERINE_YEAR) }));
        assert.equal(response.statusCode, 200);
        const found = results(response.body);
        assert.equal(found[0]?.id, ids.catherine, `Catherine first: ${found.map((r) => r.name).join(', ')}`);
        assert.equal(found[0]?.name, 'Catherine Thompson');
        assert.match(found[0].strength, /^Likely match \((>99|\d{2})%\)$/);
        const why = found[0].reasons.join('\n');
        assert.match(why, /Given name: "Kate" is a short form of "Catherine" \(counts for: \+\d+\.\d\)/);
        assert.match(why, /Family name: "Tomson" looks like a misspelling of "Thompson" \(counts for: \+\d+\.\d\)/);
        assert.match(why, new RegExp(`Date of birth: 27/3/${CATHERINE_YEAR} agrees \\(counts for: \\+\\d+\\.\\d\\)`));
        assert.match(response.body, new RegExp(`<h2 class="govuk-heading-m" id="results">${found.length} (person|people) found</h2>`));
        // Ranked: the strengths never rise down the list.
        const rank = (strength: string) => (strength.startsWith('Strong') ? 2 : strength.startsWith('Possible') ? 1 : 0);
        for (let i = 1; i < found.length; i++) assert.ok(rank(found[i]!.strength) <= rank(found[i - 1]!.strength), found.map((r) => r.strength).join(', '));
        assert.deepEqual(
          ['given', 'family', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year'].map((name) => inputValue(response.body, name)),
          ['Kate', 'Tomson', '27', '3', String(CATHERINE_YEAR)],
        );
      });

      it('takes a year of birth alone, or a month and year, and says the date fits', async () => {
        const yearOnly = results((await worker.get(query({ family: 'Thompson', 'dateOfBirth-year': String(CATHERINE_YEAR) }))).body);
        assert.equal(yearOnly[0]?.id, ids.catherine, yearOnly.map((r) => r.name).join(', '));
        assert.match(yearOnly[0].reasons.join('\n'), new RegExp(`Date of birth: 27/3/${CATHERINE_YEAR} fits year ${CATHERINE_YEAR}, as searched \\(counts for`));

        const monthAndYear = await worker.get(query({ family: 'Thompson', 'dateOfBirth-month': '3', 'dateOfBirth-year': String(CATHERINE_YEAR) }));
        assert.equal(monthAndYear.statusCode, 200);
        const found = results(monthAndYear.body);
        assert.equal(found[0]?.id, ids.catherine);
        assert.match(found[0].reasons.join('\n'), new RegExp(`fits month 3, year ${CATHERINE_YEAR}, as searched`));
        assert.equal(inputValue(monthAndYear.body, 'dateOfBirth-month'), '3');
      });

      it('takes an age range when the date of birth is not known, and opens "More details" to show it', async () => {
        const response = await worker.get(query({ family: 'Thompson', ageFrom: '10', ageTo: '14' }));
        assert.equal(response.statusCode, 200);
        const found = results(response.body);
        assert.equal(found[0]?.id, ids.catherine, found.map((r) => r.name).join(', '));
        assert.match(found[0].reasons.join('\n'), /fits aged 10 to 14, as searched/);
        assert.ok(!found.slice(1).some((r) => r.id === ids.sarah && r.strength.startsWith('Strong')), 'Sarah, 36, is no strong match for a child of 10 to 14');
        assert.match(response.body, /<details class="govuk-details" open>/);
        assert.deepEqual([inputValue(response.body, 'ageFrom'), inputValue(response.body, 'ageTo')], ['10', '14']);
      });

      it('weighs sex: the girls come before the boy, who is a weak match', async () => {
        const response = await worker.get(query({ family: 'Thompson', sex: 'female' }));
        const found = results(response.body);
        const order = found.map((r) => r.id);
        assert.ok(order.indexOf(ids.leo) > order.indexOf(ids.catherine) && order.indexOf(ids.leo) > order.indexOf(ids.sarah), found.map((r) => r.name).join(', '));
        assert.match(found.find((r) => r.id === ids.leo)?.strength ?? '', /^Unlikely match/);
        assert.match(found[0]!.reasons.join('\n'), /Sex: both female \(counts for/);
        assert.equal(checkedValue(response.body, 'sex'), 'female');
      });

      it('finds people at an address given as street, suburb and postcode', async () => {
        const response = await worker.get(query({ family: 'Thompson', street: '12 Sample Street', suburb: 'Parramatta', postcode: '2150' }));
        const found = results(response.body);
        assert.deepEqual(found.slice(0, 2).map((r) => r.id).sort(), [ids.catherine, ids.sarah].sort(), 'the two who live there come first');
        const why = found[0]!.reasons.join('\n');
        assert.match(why, /Suburb: "Parramatta" agrees/);
        assert.match(why, /Postcode: "2150" agrees/);
        assert.match(why, /Street: "Sample Street" agrees/, 'the number typed with the street is read as the street number');
        assert.deepEqual(['street', 'suburb', 'postcode'].map((name) => inputValue(response.body, name)), ['12 Sample Street', 'Parramatta', '2150']);
      });

      it('finds a person by an identifier typed with spaces', async () => {
        const found = results((await worker.get(query({ identifier: '2123 456 701' }))).body);
        assert.equal(found[0]?.id, ids.catherine);
        assert.match(found[0].reasons.join('\n'), /Identifier \(medicare\): 2123456701 agrees/);
      });

      it("reads the home page's one name box as given and family names, and shows them in the two boxes", async () => {
        const response = await worker.get('/people?name=Catherine%20Thompson');
        assert.equal(response.statusCode, 200);
        assert.equal(results(response.body)[0]?.id, ids.catherine);
        assert.deepEqual([inputValue(response.body, 'given'), inputValue(response.body, 'family')], ['Catherine', 'Thompson']);
        assert.equal(inputValue(response.body, 'name'), undefined, 'no third box for the name');
      });

      it('finds names given the wrong way round', async () => {
        const found = results((await worker.get(query({ given: 'Thompson', family: 'Catherine' }))).body);
        assert.equal(found[0]?.id, ids.catherine);
        assert.match(found[0].reasons.join('\n'), /given and family names swapped/);
      });

      it('says so when nobody matches, and offers to add the person to those who may', async () => {
        const response = await worker.get(query({ family: 'Zzyzx' }));
        assert.equal(response.statusCode, 200);
        assert.match(pageText(response.body), /0 people found Nobody matches\./);
        assert.match(response.body, /href="\/people\/new">They are not here: add a new person</);
      });

      const refusals: [string, Record<string, string>, string, string, string[]][] = [
        ['an empty search', { given: '', family: ' ' }, 'Enter a name, a date of birth or an identifier', '#given', []],
        ['a day without a month', { given: 'Kate', 'dateOfBirth-day': '3', 'dateOfBirth-year': '2014' }, 'Date of birth must include a month', '#dateOfBirth-month', ['given', 'dateOfBirth-day', 'dateOfBirth-year']],
        ['a 3-digit year', { family: 'Thompson', 'dateOfBirth-year': '201' }, 'Year must include 4 numbers', '#dateOfBirth-year', ['family', 'dateOfBirth-year']],
        ['an age to below the age from', { family: 'Thompson', ageFrom: '10', ageTo: '5' }, 'Age to must be the same as or more than age from', '#ageTo', ['family', 'ageFrom', 'ageTo']],
        [
          'a date of birth in the future',
          { family: 'Thompson', 'dateOfBirth-day': '31', 'dateOfBirth-month': '12', 'dateOfBirth-year': String(YEAR + 1) },
          'Date of birth must be today or in the past',
          '#dateOfBirth-day',
          ['family', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year'],
        ],
        ['a year of birth in the future', { family: 'Thompson', 'dateOfBirth-year': String(YEAR + 1) }, 'Date of birth must be today or in the past', '#dateOfBirth-year', ['family', 'dateOfBirth-year']],
        ['a year of birth before 1900', { family: 'Thompson', 'dateOfBirth-year': '1066' }, 'Date of birth must be on or after 1 January 1900', '#dateOfBirth-year', ['dateOfBirth-year']],
        ['a month that does not exist', { family: 'Thompson', 'dateOfBirth-month': '13', 'dateOfBirth-year': '2015' }, 'Date of birth must be a real date', '#dateOfBirth-month', ['dateOfBirth-month']],
        ['an age that is not a number', { family: 'Thompson', ageFrom: 'ten' }, 'Age from must be a whole number', '#ageFrom', ['ageFrom']],
        ['a day that does not exist', { family: 'Thompson', 'dateOfBirth-day': '31', 'dateOfBirth-month': '2', 'dateOfBirth-year': '2015' }, 'Date of birth must be a real date', '#dateOfBirth-day', ['family', 'dateOfBirth-day']],
        ['a 10,000-character name', { given: 'a'.repeat(10_000) }, 'Given name must be 100 characters or fewer', '#given', []],
      ];
      for (const [label, fields, message, href, kept] of refusals) {
        it(`refuses ${label} with a GOV.UK error summary, keeping the answers`, async () => {
          const response = await worker.get(query(fields));
          assert.equal(response.statusCode, 400);
          const text = pageText(response.body);
          assert.match(text, /There is a problem/);
          assert.deepEqual(errorSummaryLinks(response.body), [{ href, text: message }]);
          assert.match(text, new RegExp(`Error: ${message}`), 'the message is also at the box');
          assert.match(response.body, /<title>Error: /, 'the title says there is an error');
          for (const name of kept) assert.equal(inputValue(response.body, name), fields[name], `${name} is kept`);
          assert.deepEqual(results(response.body), [], 'no results with an error');
        });
      }

      it('shows script typed into any box as text, and never runs it', async () => {
        for (const name of ['given', 'family', 'name', 'street', 'suburb', 'postcode', 'identifier', 'ageFrom', 'dateOfBirth-day', 'dateOfBirth-year']) {
          const response = await worker.get(query({ family: 'Thompson', [name]: SCRIPT }));
          assert.ok(response.statusCode === 200 || response.statusCode === 400, `${name}: ${response.statusCode}`);
          assert.ok(!response.body.includes(SCRIPT), `${name}: the script is never in the page as markup`);
          if (name !== 'name' && name !== 'family') assert.equal(inputValue(response.body, name), SCRIPT, `${name}: shown back as the text typed`);
        }
        const found = results((await worker.get(query({ family: 'Scriptson' }))).body);
        assert.equal(found[0]?.id, ids.markup);
        assert.equal(found[0]?.name, '<b>Bold</b> Scriptson', 'a name with markup in it is shown as the characters recorded');
      });

      it("never shows another organisation's people, however closely they match", async () => {
        for (const fields of [
          { given: 'Catherine', family: 'Thompson', 'dateOfBirth-day': '27', 'dateOfBirth-month': '3', 'dateOfBirth-year': String(CATHERINE_YEAR) },
          { identifier: '2123456701' },
          { family: 'Thompson', street: '12 Sample Street', suburb: 'Parramatta', postcode: '2150' },
        ]) {
          const response = await worker.get(query(fields));
          assert.ok(results(response.body).some((r) => r.id === ids.catherine), 'the control: their own Catherine is found');
          assert.ok(!response.body.includes(ids.elsewhere), JSON.stringify(fields));
        }
      });

      it('audits each search: who searched and how many were found, without what was typed', async () => {
        const audit = () =>
          harness.database.db
            .selectFrom('audit_events')
            .select(['action', 'actor_user_id', 'record_type', 'details'])
            .where('actor_user_id', '=', helpline.id)
            .where('action', '=', 'people.searched')
            .orderBy('seq')
            .execute();
        const before = (await audit()).length;
        const response = await worker.get(query({ given: 'Kate', family: 'Tomson' }));
        const rows = await audit();
        assert.equal(rows.length, before + 1);
        const row = rows.at(-1)!;
        assert.deepEqual([row.action, row.actor_user_id, row.record_type], ['people.searched', helpline.id, 'person']);
        const details = row.details as { results: number; considered: number };
        assert.equal(details.results, results(response.body).length);
        assert.ok(details.considered >= details.results);
        assert.doesNotMatch(JSON.stringify(row.details), /Kate|Tomson/i, 'the words searched for stay out of the audit');

        await worker.get(query({ given: '', family: '' }));
        assert.equal((await audit()).length, before + 1, 'a refused search is not a search');
      });
    });

    describe('GET /api/v1/people/search', () => {
      const call = (params: string, bearer: string | null = token) =>
        harness.app.inject({ method: 'GET', url: `/api/v1/people/search?${params}`, headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

      function assertDocumented(response: LightMyRequestResponse, status: 200 | 400 | 401 | 403) {
        const validate = documented(`#/paths/~1api~1v1~1people~1search/get/responses/${status}/content/application~1json/schema`);
        assert.ok(validate(response.json()), `the body matches the document: ${JSON.stringify(validate.errors)}\n${response.body.slice(0, 500)}`);
      }

      interface Candidate {
        id: string;
        externalId: string | null;
        name: string;
        dateOfBirth: string | null;
        score: number;
        probability: number;
        decision: string;
        explanation: { field: string; level: string; weight: number; text: string }[];
      }

      it('answers 200 with ranked candidates, each with a score, a probability, a decision and an explanation', async () => {
        const response = await call(`given=Kate&family=Tomson&dateOfBirth=${CATHERINE_YEAR}-03-27`);
        assert.equal(response.statusCode, 200);
        assertDocumented(response, 200);
        const body = response.json<{ candidates: Candidate[]; considered: number; truncated: boolean }>();
        const [first] = body.candidates;
        assert.ok(first);
        assert.deepEqual([first.id, first.externalId, first.name, first.dateOfBirth, first.decision], [ids.catherine, 'CMS-0042', 'Catherine Thompson', `${CATHERINE_YEAR}-03-27`, 'match']);
        assert.ok(first.probability > 0.9 && first.probability <= 1);
        for (let i = 1; i < body.candidates.length; i++) assert.ok(body.candidates[i]!.score <= body.candidates[i - 1]!.score, 'best first');
        const sum = first.explanation.reduce((total, e) => total + e.weight, 0);
        assert.ok(Math.abs(sum - first.score) < 0.05 * first.explanation.length + 0.01, `the score is the sum of the weights (${sum} vs ${first.score})`);
        assert.deepEqual(
          first.explanation.filter((e) => ['given_name', 'family_name', 'date_of_birth'].includes(e.field)).map((e) => [e.field, e.level, e.weight > 0]),
          [
            ['given_name', 'nickname', true],
            ['family_name', 'typo', true],
            ['date_of_birth', 'exact', true],
          ],
        );
        assert.match(first.explanation.find((e) => e.field === 'given_name')!.text, /"Kate" is a short form of "Catherine"/);
        assert.ok(body.considered >= body.candidates.length);
        assert.equal(body.truncated, false);
        assert.ok(!response.body.includes(ids.elsewhere), "another organisation's person is never returned");
      });

      it('takes a partial date, an age range, sex, address, identifier and a limit', async () => {
        const cases: [string, string][] = [
          [`family=Thompson&birthYear=${CATHERINE_YEAR}&birthMonth=3`, ids.catherine],
          ['family=Thompson&ageFrom=10&ageTo=14&sex=female', ids.catherine],
          ['identifier=2123456701', ids.catherine],
          ['family=Thompson&street=3%20Other%20Road&suburb=Newcastle&postcode=2300', ids.leo],
          ['given=Thompson&family=Catherine', ids.catherine],
        ];
        for (const [params, expected] of cases) {
          const response = await call(params);
          assert.equal(response.statusCode, 200, `${params}: ${response.body.slice(0, 300)}`);
          assertDocumented(response, 200);
          assert.equal(response.json<{ candidates: Candidate[] }>().candidates[0]?.id, expected, params);
        }
        const limited = await call('family=Thompson&limit=2');
        assert.equal(limited.json<{ candidates: Candidate[] }>().candidates.length, 2);
      });

      const refusals: [string, string, string[]][] = [
        ['nothing to search by', 'sex=female', ['given']],
        ['a month of birth without a year', 'family=Thompson&birthMonth=3', ['birthYear']],
        ['an age to below the age from', 'family=Thompson&ageFrom=10&ageTo=5', ['ageTo']],
        ['a date that does not exist', 'family=Thompson&dateOfBirth=2015-02-31', ['dateOfBirth']],
        ['a date of birth next year', `family=Thompson&dateOfBirth=${YEAR + 1}-12-31`, ['dateOfBirth']],
        ['a year of birth in 1066', 'family=Thompson&birthYear=1066', ['birthYear']],
        ['a year of birth next year', `family=Thompson&birthYear=${YEAR + 1}`, ['birthYear']],
        ['a sex outside the choices', 'family=Thompson&sex=f', ['sex']],
        ['a limit of 0', 'family=Thompson&limit=0', ['limit']],
        ['a limit that is not a number', 'family=Thompson&limit=ten', ['limit']],
        ['a 10,000-character name', `family=${'x'.repeat(10_000)}`, ['family']],
        ['control characters in a name', 'family=Th%00ompson', ['family']],
      ];
      for (const [label, params, fields] of refusals) {
        it(`refuses ${label}: 400 with fieldErrors`, async () => {
          const response = await call(params);
          assert.equal(response.statusCode, 400, response.body.slice(0, 300));
          assertDocumented(response, 400);
          const body = response.json<{ error: string; fieldErrors: Record<string, string[]> }>();
          assert.equal(body.error, 'validation_failed');
          assert.deepEqual(Object.keys(body.fieldErrors).sort(), [...fields].sort());
          for (const messages of Object.values(body.fieldErrors)) assert.ok(messages.every((m) => m.length > 0));
        });
      }

      it('answers 401 without a valid token and 403 to a token whose owner may not read people', async () => {
        const none = await call('family=Thompson', null);
        assert.equal(none.statusCode, 401);
        assertDocumented(none, 401);
        const forged = await call('family=Thompson', 'hearth_not-a-real-token');
        assert.equal(forged.statusCode, 401);
        const auditor = await createStaff(harness.database, helpline.organisationId, 'auditor');
        const refused = await call('family=Thompson', await createApiToken(harness.database.db, auditor.id, 'audit tool'));
        assert.equal(refused.statusCode, 403);
        assertDocumented(refused, 403);
        assert.ok(!refused.body.includes(ids.catherine));
      });

      it('documents every query parameter it takes', async () => {
        const doc = (await harness.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, { get: { parameters: { name: string; in: string }[] } }> }>();
        const parameters = doc.paths['/api/v1/people/search']!.get.parameters;
        assert.deepEqual(
          parameters.filter((p) => p.in === 'query').map((p) => p.name).sort(),
          ['ageFrom', 'ageTo', 'birthMonth', 'birthYear', 'dateOfBirth', 'family', 'given', 'identifier', 'limit', 'name', 'postcode', 'sex', 'street', 'suburb'],
        );
      });
    });
  });
}
