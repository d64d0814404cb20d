import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPeopleServices } from '../../src/services.ts';
import type { PeopleService } from '../../src/features/people/service.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { pageText, startTestApp, TestClient, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, personDetails, type TestStaff } from '../support/factories.ts';
import { checkedValue, formFields, inputValue } from '../support/html.ts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const newPersonForm = (overrides: Record<string, string> = {}) => ({
  givenNames: 'Ada',
  familyName: 'Example',
  preferredName: '',
  'dateOfBirth-day': '3',
  'dateOfBirth-month': '4',
  'dateOfBirth-year': '2017',
  sex: 'female',
  gender: '',
  indigenousStatus: 'not_yet_asked',
  ethnicity: '',
  languages: 'English',
  interpreterRequired: 'not_known',
  ...overrides,
});

for (const engine of testEngines()) {
  describe(`people pages [${engine.name}]`, () => {
    let harness: TestApp;
    let alex: TestStaff;
    let bo: TestStaff;
    let people: PeopleService;
    /** Two caseworkers at two browsers, to edit the same record at once. */
    let a: TestClient;
    let b: TestClient;

    before(async () => {
      harness = await startTestApp(engine);
      const organisation = await createOrganisation(harness.database);
      alex = await createStaff(harness.database, organisation, 'caseworker', { displayName: 'Alex Worker' });
      bo = await createStaff(harness.database, organisation, 'caseworker', { displayName: 'Bo Worker' });
      people = createPeopleServices(harness.database.db, systemClock, harness.config.timeZone).people;
      a = new TestClient(harness.app);
      b = new TestClient(harness.app);
      await a.signIn(alex);
      await b.signIn(bo);
    });
    after(() => harness.close());

    const countPeople = async () =>
      (await harness.database.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', alex.organisationId).executeTakeFirstOrThrow()).n;

    async function addPerson(fields: Record<string, string> = {}): Promise<string> {
      const response = await a.post('/people', newPersonForm(fields));
      assert.equal(response.statusCode, 303, pageText(response.body).slice(0, 500));
      const id = new RegExp(`^/people/(${UUID})\\?saved=created$`).exec(response.headers.location ?? '')?.[1];
      assert.ok(id, `redirected to ${response.headers.location}`);
      return id;
    }

    describe('adding a person', () => {
      it('refuses a person with no name, with an error summary and every answer kept', async () => {
        const before = await countPeople();
        const response = await a.post('/people', newPersonForm({ givenNames: '', familyName: '   ', preferredName: 'Zed', languages: 'Greek, Arabic', interpreterRequired: 'yes' }));
        assert.equal(response.statusCode, 400);
        const text = pageText(response.body);
        assert.match(text, /There is a problem/);
        assert.match(text, /Enter a given name or a family name/);
        assert.match(response.body, /<a href="#givenNames">Enter a given name or a family name<\/a>/);
        assert.equal(inputValue(response.body, 'preferredName'), 'Zed');
        assert.equal(inputValue(response.body, 'languages'), 'Greek, Arabic');
        assert.equal(inputValue(response.body, 'dateOfBirth-year'), '2017');
        assert.equal(checkedValue(response.body, 'sex'), 'female');
        assert.equal(checkedValue(response.body, 'interpreterRequired'), 'yes');
        assert.equal(await countPeople(), before);
      });

      const dateCases: [string, Record<string, string>, RegExp, string][] = [
        ['31/2/2015', { 'dateOfBirth-day': '31', 'dateOfBirth-month': '2', 'dateOfBirth-year': '2015' }, /Date of birth must be a real date/, 'day'],
        [
          'next year',
          { 'dateOfBirth-day': '31', 'dateOfBirth-month': '12', 'dateOfBirth-year': String(new Date().getUTCFullYear() + 1) },
          /Date of birth must be today or in the past/,
          'day',
        ],
        ['the year 1066', { 'dateOfBirth-day': '14', 'dateOfBirth-month': '10', 'dateOfBirth-year': '1066' }, /Date of birth must be on or after 1 January 1900/, 'year'],
        ['a missing month', { 'dateOfBirth-day': '14', 'dateOfBirth-month': '', 'dateOfBirth-year': '2015' }, /Date of birth must include a month/, 'month'],
      ];
      for (const [label, date, message, focus] of dateCases) {
        it(`refuses a date of birth of ${label}, keeping what was typed`, async () => {
          const response = await a.post('/people', newPersonForm(date));
          assert.equal(response.statusCode, 400);
          assert.match(pageText(response.body), message);
          assert.match(response.body, new RegExp(`href="#dateOfBirth-${focus}"`), `the error summary links to the ${focus} box`);
          assert.equal(inputValue(response.body, 'dateOfBirth-day'), date['dateOfBirth-day']);
          assert.equal(inputValue(response.body, 'dateOfBirth-year'), date['dateOfBirth-year']);
          assert.equal(inputValue(response.body, 'givenNames'), 'Ada');
        });
      }

      it('refuses a 10,000-character name with a clear message, not an error page', async () => {
        const before = await countPeople();
        const response = await a.post('/people', newPersonForm({ givenNames: 'A'.repeat(10_000) }));
        assert.equal(response.statusCode, 400);
        assert.match(pageText(response.body), /Given names must be 100 characters or fewer/);
        assert.equal(await countPeople(), before);
      });

      it('shows script typed in a name as text, never as markup', async () => {
        const script = '<script>alert(1)</script>';
        const id = await addPerson({ givenNames: script, familyName: '"><img src=x onerror=alert(2)>' });
        const page = await a.get(`/people/${id}`);
        assert.equal(page.statusCode, 200);
        assert.ok(!page.body.includes(script), 'the script tag must not reach the page');
        assert.ok(!page.body.includes('<img src=x'), 'nor the image tag');
        assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
        assert.match(pageText(page.body), /Record created/);
        const edit = await a.get(`/people/${id}/edit`);
        assert.equal(inputValue(edit.body, 'givenNames'), script, 'the edit form gives back exactly what was typed');
        assert.equal(inputValue(edit.body, 'familyName'), '"><img src=x onerror=alert(2)>');
      });
    });

    describe('editing when someone else saved first', () => {
      it('shows both versions side by side, and "Save my version" saves mine over theirs', async () => {
        const id = await addPerson({ givenNames: 'Rosa', familyName: 'Original' });
        const edit = `/people/${id}/edit`;
        const formA = formFields((await a.get(edit)).body, edit);
        const formB = formFields((await b.get(edit)).body, edit);
        assert.equal(formB.version, '1');
        assert.equal((await a.post(edit, { ...formA, familyName: 'Changed-by-Alex' })).statusCode, 303);

        const conflict = await b.post(edit, { ...formB, preferredName: 'Ro "the rose"' });
        assert.equal(conflict.statusCode, 409);
        const text = pageText(conflict.body);
        assert.match(text, /Someone else changed this record/);
        assert.match(text, /Alex Worker saved a change to these details while you were editing/, 'it says who');
        assert.match(text, /Saved version \(theirs\) Your version/);
        assert.match(text, /Family name \(different\) Changed-by-Alex Original/);
        assert.match(text, /Preferred name \(different\) Not recorded Ro "the rose"/);
        assert.match(text, /Given names Rosa Rosa/, 'a row that is the same is not marked different');
        assert.match(text, /Save my version/);
        assert.match(text, /Change my version first/);

        const carried = formFields(conflict.body, edit);
        assert.equal(carried.version, '2', 'the choice is made against the version now saved');
        const saved = await b.post(edit, { ...carried, _choice: 'mine' });
        assert.equal(saved.statusCode, 303);
        const person = await people.view(bo.actor, id);
        assert.equal(person?.familyName, 'Original');
        assert.equal(person?.preferredName, 'Ro "the rose"');
        assert.equal(person?.version, 3);
        assert.match(pageText((await b.get(`/people/${id}`)).body), /Details changed: family name, preferred name [^:]* at [^ ]+ by Bo Worker/);
      });

      it('"Change my version first" shows the form again with my answers, ready to save', async () => {
        const id = await addPerson({ givenNames: 'Ivy', familyName: 'Stone' });
        const edit = `/people/${id}/edit`;
        const formA = formFields((await a.get(edit)).body, edit);
        const formB = formFields((await b.get(edit)).body, edit);
        await a.post(edit, { ...formA, gender: 'Girl' });
        const conflict = await b.post(edit, { ...formB, languages: 'Tagalog, English' });
        assert.equal(conflict.statusCode, 409);

        const again = await b.post(edit, { ...formFields(conflict.body, edit), _choice: 'edit' });
        assert.equal(again.statusCode, 200);
        assert.match(pageText(again.body), /Change details/);
        assert.equal(inputValue(again.body, 'languages'), 'Tagalog, English');
        assert.equal(inputValue(again.body, 'gender'), '', 'my version, without their change until I copy it in');
        const form = formFields(again.body, edit);
        assert.equal(form.version, '2');
        assert.equal((await people.view(bo.actor, id))?.languages.join(', '), 'English', 'nothing saved yet');

        assert.equal((await b.post(edit, { ...form, gender: 'Girl' })).statusCode, 303);
        const person = await people.view(bo.actor, id);
        assert.deepEqual([person?.gender, person?.languages, person?.version], ['Girl', ['Tagalog', 'English'], 3]);
      });

      it('handles an address changed by two people at once the same way', async () => {
        const id = await addPerson({ familyName: 'Mover' });
        const added = await a.post(`/people/${id}/addresses`, { line1: '4 Example Street', line2: '', suburb: 'Parramatta', state: 'NSW', postcode: '2150', country: '', endPrevious: 'yes' });
        assert.equal(added.statusCode, 303);
        const page = await a.get(`/people/${id}`);
        const addressId = new RegExp(`/people/${id}/addresses/(${UUID})/edit`).exec(page.body)?.[1];
        assert.ok(addressId);
        const edit = `/people/${id}/addresses/${addressId}/edit`;
        const formA = formFields((await a.get(edit)).body, edit);
        const formB = formFields((await b.get(edit)).body, edit);
        assert.equal(formA.line1, '4 Example Street');
        assert.equal((await a.post(edit, { ...formA, postcode: '2151' })).statusCode, 303);

        const conflict = await b.post(edit, { ...formB, line2: 'Unit 2' });
        assert.equal(conflict.statusCode, 409);
        const text = pageText(conflict.body);
        assert.match(text, /Someone else changed this address/);
        assert.match(text, /Address line 2 \(different\) Not recorded Unit 2/);
        assert.match(text, /Postcode \(different\) 2151 2150/);

        const again = await b.post(edit, { ...formFields(conflict.body, edit), _choice: 'edit' });
        assert.equal(again.statusCode, 200);
        assert.equal(inputValue(again.body, 'line2'), 'Unit 2');

        const saved = await b.post(edit, { ...formFields(conflict.body, edit), _choice: 'mine' });
        assert.equal(saved.statusCode, 303);
        const address = await people.findAddress(bo.actor, id, addressId);
        assert.deepEqual([address?.line2, address?.postcode, address?.version], ['Unit 2', '2150', 3]);
      });

      it('handles a relationship changed by two people at once the same way', async () => {
        const child = await addPerson({ givenNames: 'Cai', familyName: 'Child' });
        const parent = await addPerson({ givenNames: 'Pia', familyName: 'Parent', 'dateOfBirth-year': '1988' });
        const added = await a.post(`/people/${child}/relationships`, { relatedPersonId: parent, relationshipType: 'parent', notes: '' });
        assert.equal(added.statusCode, 303);

        const childPage = await a.get(`/people/${child}`);
        assert.match(pageText(childPage.body), /Pia Parent Parent/);
        assert.match(pageText((await a.get(`/people/${parent}`)).body), /Cai Child Child/);
        const relationshipId = new RegExp(`/people/${child}/relationships/(${UUID})/edit`).exec(childPage.body)?.[1];
        assert.ok(relationshipId);

        const edit = `/people/${child}/relationships/${relationshipId}/edit`;
        const formA = formFields((await a.get(edit)).body, edit);
        const formB = formFields((await b.get(edit)).body, edit);
        assert.equal(formA.relationshipType, 'parent');
        assert.equal((await a.post(edit, { ...formA, notes: 'Sees her on Saturdays' })).statusCode, 303);

        const conflict = await b.post(edit, { ...formB, 'startedOn-day': '1', 'startedOn-month': '2', 'startedOn-year': '2020' });
        assert.equal(conflict.statusCode, 409);
        const text = pageText(conflict.body);
        assert.match(text, /Someone else changed this relationship/);
        assert.match(text, /Started \(different\) Not recorded 1 February 2020/);
        assert.match(text, /Notes \(different\) Sees her on Saturdays Not recorded/);

        const again = await b.post(edit, { ...formFields(conflict.body, edit), _choice: 'edit' });
        assert.equal(again.statusCode, 200);
        assert.equal(inputValue(again.body, 'startedOn-year'), '2020');
        assert.equal(checkedValue(again.body, 'relationshipType'), 'parent');

        assert.equal((await b.post(edit, { ...formFields(conflict.body, edit), _choice: 'mine' })).statusCode, 303);
        const member = await people.findNetworkMember(bo.actor, child, relationshipId);
        assert.deepEqual([member?.startedOn, member?.notes, member?.version], ['2020-02-01', null, 3]);
      });
    });

    it('will not relate a person to themselves', async () => {
      const id = await addPerson({ givenNames: 'Solo' });
      const response = await a.post(`/people/${id}/relationships`, { relatedPersonId: id, relationshipType: 'sibling' });
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, `/people/${id}/relationships/new`, 'back to finding someone else');
      assert.deepEqual((await people.viewRecord(alex.actor, id))?.network, []);
      const chooser = await a.get(`/people/${id}/relationships/new?personId=${id}`);
      assert.equal(chooser.statusCode, 200);
      assert.doesNotMatch(chooser.body, /name="relatedPersonId"/, 'no form to relate them to themselves');
    });

    describe('removing parts of a record', () => {
      it('asks before removing a name, then removes it and says so on the story', async () => {
        const id = await addPerson({ givenNames: 'Noa', familyName: 'Named' });
        assert.equal((await a.post(`/people/${id}/names`, { nameType: 'alias', givenNames: 'Noah', familyName: 'Namid' })).statusCode, 303);
        const page = await a.get(`/people/${id}`);
        const remove = new RegExp(`/people/${id}/names/${UUID}/remove`).exec(page.body)?.[0];
        assert.ok(remove);

        const confirm = await a.get(remove);
        assert.equal(confirm.statusCode, 200);
        assert.match(pageText(confirm.body), /Noa Named Remove this name\?/);
        assert.match(pageText(confirm.body), /Cancel/);
        assert.equal((await people.viewRecord(alex.actor, id))?.names.length, 1, 'the question alone removes nothing');

        const removed = await a.post(remove, formFields(confirm.body, remove));
        assert.equal(removed.statusCode, 303);
        const after = pageText((await a.get(removed.headers.location!)).body);
        assert.match(after, /Name removed\./);
        assert.match(after, /Alias or other spelling removed: Noah Namid [^:]* at [^ ]+ by Alex Worker/);
        assert.doesNotMatch(after.replace(/Alias or other spelling (added|removed): Noah Namid/g, ''), /Noah Namid/);
        assert.equal((await a.post(remove, {})).statusCode, 404, 'a name already removed cannot be removed again');
      });

      it('asks before removing an identifier, then removes it', async () => {
        const id = await addPerson({ familyName: 'Numbered' });
        const refused = await a.post(`/people/${id}/identifiers`, { identifierType: 'nhs_number', value: '943 476 5918' });
        assert.equal(refused.statusCode, 400);
        assert.match(pageText(refused.body), /Enter a valid 10-digit NHS number/);
        assert.equal((await a.post(`/people/${id}/identifiers`, { identifierType: 'nhs_number', value: '943 476 5919' })).statusCode, 303);
        const page = await a.get(`/people/${id}`);
        assert.match(pageText(page.body), /NHS number 943 476 5919/, 'grouped as printed');
        const remove = new RegExp(`/people/${id}/identifiers/${UUID}/remove`).exec(page.body)?.[0];
        assert.ok(remove);

        const confirm = await a.get(remove);
        assert.equal(confirm.statusCode, 200);
        assert.match(pageText(confirm.body), /Remove this identifier\?/);
        const removed = await a.post(remove, formFields(confirm.body, remove));
        assert.equal(removed.statusCode, 303);
        const after = pageText((await a.get(removed.headers.location!)).body);
        assert.match(after, /Identifier removed\./);
        assert.match(after, /Identifiers None recorded/);
      });
    });

    describe('finding a person', () => {
      it('finds a person by their name typed without its accents, or misspelt, and links to their page', async () => {
        const id = await addPerson({ givenNames: 'Zoë', familyName: 'Ångström' });
        for (const search of ['name=zoe+angstrom', 'given=Zoe&family=Angstrum']) {
          const response = await a.get(`/people?${search}`);
          assert.equal(response.statusCode, 200);
          assert.match(pageText(response.body), /(person|people) found Zoë Ångström .*Born 3 April 2017/);
          assert.ok(response.body.includes(`href="/people/${id}"`), search);
        }
      });

      it('asks for a name, a date of birth or an identifier when the search is empty', async () => {
        const response = await a.get('/people?given=&family=');
        assert.equal(response.statusCode, 400);
        assert.match(pageText(response.body), /There is a problem Enter a name, a date of birth or an identifier/);
      });
    });

    describe('the person page', () => {
      it('shows the banner only for a save it knows, whatever ?saved= says', async () => {
        const id = await addPerson();
        assert.match(pageText((await a.get(`/people/${id}?saved=details`)).body), /Success Details saved\./);
        for (const saved of ['constructor', '__proto__', 'toString', 'nonsense', 'details&saved=name']) {
          const page = await a.get(`/people/${id}?saved=${saved}`);
          assert.equal(page.statusCode, 200, saved);
          assert.doesNotMatch(pageText(page.body), /Success/, saved);
        }
      });
    });

    describe("a child's audit trail", () => {
      it('shows an auditor who viewed and changed the record, and records that they looked', async () => {
        const id = await addPerson({ givenNames: 'Audra', familyName: 'Trail' });
        await b.get(`/people/${id}`);
        const auditor = await createStaff(harness.database, alex.organisationId, 'auditor', { displayName: 'Ari Auditor' });
        const client = new TestClient(harness.app);
        await client.signIn(auditor);
        const page = await client.get(`/audit/people/${id}`);
        assert.equal(page.statusCode, 200);
        const text = pageText(page.body);
        assert.match(text, /Who viewed or changed Audra Trail's record/);
        assert.match(text, /Bo Worker Caseworker Viewed the record/);
        assert.match(text, /Alex Worker Caseworker Created the record/);
        const looked = await harness.database.db.selectFrom('audit_events').select('actor_user_id').where('subject_person_id', '=', id).where('action', '=', 'person.audit_trail_viewed').execute();
        assert.deepEqual(looked, [{ actor_user_id: auditor.id }]);
        assert.equal((await a.get(`/audit/people/${id}`)).statusCode, 403, 'a caseworker cannot read the audit trail');
      });
    });

    describe('web addresses that lead nowhere', () => {
      it('answers 404, not 500, for a malformed id anywhere in a URL', async () => {
        const id = await addPerson();
        for (const url of ['/people/not-a-uuid', '/people/not-a-uuid/edit', `/people/${id}/names/not-a-uuid/remove`, `/people/${id}/addresses/12345/edit`, "/people/1'%20or%201=1"]) {
          const response = await a.get(url);
          assert.equal(response.statusCode, 404, url);
          assert.match(pageText(response.body), /not found/i, url);
        }
        const post = await a.post('/people/not-a-uuid/edit', newPersonForm({ version: '1' }));
        assert.equal(post.statusCode, 404);
      });

      it("answers 404 for another organisation's person, and changes nothing", async () => {
        const elsewhere = await createStaff(harness.database, await createOrganisation(harness.database, 'Elsewhere'), 'caseworker');
        const theirs = await people.create(elsewhere.actor, personDetails({ givenNames: 'Hidden', familyName: 'Child' }));
        for (const url of [`/people/${theirs.id}`, `/people/${theirs.id}/edit`, `/people/${theirs.id}/names/new`, `/people/${theirs.id}/relationships/new`]) {
          const response = await a.get(url);
          assert.equal(response.statusCode, 404, url);
          assert.doesNotMatch(response.body, /Hidden/, url);
        }
        const edit = await a.post(`/people/${theirs.id}/edit`, newPersonForm({ version: '1', familyName: 'Taken' }));
        assert.equal(edit.statusCode, 404);
        const name = await a.post(`/people/${theirs.id}/names`, { nameType: 'alias', givenNames: 'Sneaky', familyName: '' });
        assert.equal(name.statusCode, 404);
        const mine = await addPerson();
        const link = await a.post(`/people/${mine}/relationships`, { relatedPersonId: theirs.id, relationshipType: 'sibling' });
        assert.equal(link.statusCode, 404);
        const record = await people.viewRecord(elsewhere.actor, theirs.id);
        assert.deepEqual([record?.person.familyName, record?.person.version, record?.names, record?.network], ['Child', 1, [], []]);
      });
    });
  });
}
