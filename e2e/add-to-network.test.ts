import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO, networkMembers, openPerson, storyEvents, successBanner, summaryValue } from './support/pages.ts';
import { startHearth, type RunningHearth } from './support/server.ts';
import { Visitor } from './support/visitor.ts';

describe("Adding someone to a child's network", () => {
  let hearth: RunningHearth;
  before(async () => {
    hearth = await startHearth();
  });
  after(() => hearth.close());

  it('a caseworker finds a person who has a record, says how they are related, and both stories show it', async (t) => {
    const casey = await Visitor.open(hearth);
    t.after(() => casey.close());
    const page = casey.page;
    await casey.signIn(DEMO.caseworker.email);
    const aishaPage = await openPerson(casey, 'Aisha', 'Aisha Rahman');
    assert.deepEqual(await networkMembers(page, 'Aisha Rahman'), ['Farida Rahman: Parent']);

    await casey.followLink('Add someone to the network');
    assert.equal(await casey.heading(), 'Add someone to the network');
    assert.equal(await page.title(), "Add someone to Aisha Rahman's network - Hearth");
    await page.getByLabel('Their name').fill('Kylie');
    await casey.pressButton('Search');
    assert.match(casey.location, /\/relationships\/new\?name=Kylie$/);
    assert.equal(await page.getByRole('heading', { name: '1 person found' }).count(), 1);

    await casey.followLink(/^Select Kylie Walker$/);
    const heading = 'How is Kylie Walker related to Aisha Rahman?';
    assert.equal(await casey.heading(), heading);
    assert.equal(await page.getByRole('group', { name: heading }).getByRole('radio').count(), 14);
    await page.getByRole('radio', { name: 'Foster carer' }).check();
    await page.getByRole('group', { name: 'When did it start? (optional)' }).getByLabel('Day').fill('3');
    await page.getByRole('group', { name: 'When did it start? (optional)' }).getByLabel('Month').fill('2');
    await page.getByRole('group', { name: 'When did it start? (optional)' }).getByLabel('Year').fill('2024');
    await page.getByLabel('Notes (optional)').fill('Emergency placement while mother is in hospital');
    await casey.pressButton('Add to network');

    assert.equal(new URL(page.url()).pathname, aishaPage);
    assert.equal(await successBanner(page), 'Network updated.');
    assert.deepEqual((await networkMembers(page, 'Aisha Rahman')).sort(), ['Farida Rahman: Parent', 'Kylie Walker: Foster carer']);
    const row = page.getByRole('table', { name: "People in Aisha Rahman's network" }).getByRole('row').filter({ hasText: 'Kylie Walker' });
    assert.match(await row.innerText(), /Emergency placement while mother is in hospital/);
    assert.match(await row.innerText(), /since 3 February 2024/);
    assert.equal((await storyEvents(page))[0], 'Kylie Walker added to their network as foster carer');

    // The other person's page tells it from their side.
    await casey.followLink('Kylie Walker');
    assert.equal(await casey.heading(), 'Kylie Walker');
    assert.ok((await networkMembers(page, 'Kylie Walker')).includes('Aisha Rahman: Child in foster care'));
    assert.equal((await storyEvents(page))[0], 'Aisha Rahman added to their network as child in foster care');
  });

  it('a caseworker adds a person who has no record yet, and comes back to say how they are related', async (t) => {
    const casey = await Visitor.open(hearth);
    t.after(() => casey.close());
    const page = casey.page;
    await casey.signIn(DEMO.caseworker.email);
    const jaydenPage = await openPerson(casey, 'Jayden', 'Jayden Walker');

    await casey.followLink('Add someone to the network');
    await page.getByLabel('Their name').fill('Tariq Walker');
    await casey.pressButton('Search');
    await casey.followLink('They do not have a record: add a new person');
    assert.equal(await casey.heading(), 'Add a person');

    await page.getByLabel('Given names').fill('Tariq');
    await page.getByLabel('Family name').fill('Walker');
    const dob = page.getByRole('group', { name: 'Date of birth' });
    await dob.getByLabel('Day').fill('14');
    await dob.getByLabel('Month').fill('9');
    await dob.getByLabel('Year').fill('2014');
    await page.getByRole('radio', { name: 'Male', exact: true }).check();
    await page.getByRole('radio', { name: 'Aboriginal', exact: true }).check();
    await casey.pressButton('Save');

    const heading = 'How is Tariq Walker related to Jayden Walker?';
    assert.equal(await casey.heading(), heading, 'after saving the new person, the worker is back on the relationship form');
    await page.getByRole('radio', { name: 'Half-sibling' }).check();
    await casey.pressButton('Add to network');

    assert.equal(new URL(page.url()).pathname, jaydenPage);
    assert.deepEqual((await networkMembers(page, 'Jayden Walker')).sort(), [
      'Kylie Walker: Aunt or uncle',
      'Kylie Walker: Carer',
      'Tariq Walker: Half-sibling',
    ]);
    assert.equal((await storyEvents(page))[0], 'Tariq Walker added to their network as half-sibling');

    await casey.followLink('Tariq Walker');
    assert.equal(await summaryValue(page, 'Date of birth'), `14 September 2014, age ${ageOn(2014, 9, 14)}`);
    assert.equal(await summaryValue(page, 'Aboriginal or Torres Strait Islander'), 'Aboriginal');
    assert.deepEqual(await networkMembers(page, 'Tariq Walker'), ['Jayden Walker: Half-sibling']);
    const story = await storyEvents(page);
    assert.deepEqual(story, ['Jayden Walker added to their network as half-sibling', 'Record created']);
  });
});

function ageOn(year: number, month: number, day: number): number {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Sydney' }).format(new Date());
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  return y - year - (m < month || (m === month && d < day) ? 1 : 0);
}
