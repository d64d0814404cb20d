import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO, mainText, tableRows } from './support/pages.ts';
import { startHearth, type RunningHearth } from './support/server.ts';
import { Visitor } from './support/visitor.ts';

describe('Finding a child', () => {
  let hearth: RunningHearth;
  before(async () => {
    hearth = await startHearth();
  });
  after(() => hearth.close());

  it('a helpline worker searches by family name from the start page and opens the child, seeing only their own organisation', async (t) => {
    const harper = await Visitor.open(hearth);
    t.after(() => harper.close());
    const page = harper.page;

    await harper.signIn(DEMO.helpline.email);
    assert.equal(harper.location, '/');
    assert.equal(await harper.heading(), `Hello, ${DEMO.helpline.name}`);

    await page.getByLabel('Find a child or adult').fill('Thompson');
    await harper.pressButton('Search');
    assert.equal(harper.location, '/people?name=Thompson');
    assert.equal(await harper.heading(), 'Find a person');
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Thompson', 'the search box keeps what was searched');
    await harper.screenshot('search-results');

    const rows = await tableRows(page.getByRole('table', { name: 'Search results' }));
    const names = rows.map((cells) => cells[0]);
    for (const name of ['Mia Rose Thompson', 'Leo Thompson', 'Sarah Thompson', 'Patricia Thompson']) {
      assert.ok(names.includes(name), `${name} is found (found: ${names.join(', ')})`);
    }
    assert.ok(!(await mainText(page)).includes('Oliver'), 'a person in another organisation is never shown');
    assert.match(await page.getByRole('heading', { level: 2 }).first().innerText(), new RegExp(`^${rows.length} people found$`));
    const mia = rows.find((cells) => cells[0] === 'Mia Rose Thompson');
    assert.deepEqual(mia?.slice(1), [miaDateOfBirth(), 'Female']);

    await harper.followLink('Mia Rose Thompson');
    assert.match(harper.location, /^\/people\/[0-9a-f-]{36}$/);
    assert.equal(await harper.heading(), 'Mia Rose Thompson');
    assert.equal(await page.title(), 'Mia Rose Thompson - Hearth');
  });

  it('a search that matches nobody says so and suggests what to try', async (t) => {
    const harper = await Visitor.open(hearth);
    t.after(() => harper.close());
    await harper.signIn(DEMO.helpline.email);
    await harper.visit('/people?name=Zzyzx');
    assert.equal(await harper.page.getByRole('heading', { name: '0 people found' }).count(), 1);
    assert.match(await mainText(harper.page), /Nobody matches\. Check the spelling/);
  });
});

/** "12 April 2016, age N", with N as of today in Sydney, as the page shows it. */
function miaDateOfBirth(): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Sydney' }).format(new Date());
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const age = year - 2016 - (month < 4 || (month === 4 && day < 12) ? 1 : 0);
  return `12 April 2016, age ${age}`;
}
