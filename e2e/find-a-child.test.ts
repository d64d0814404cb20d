import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO, mainText, searchResults, whyThisMatch } from './support/pages.ts';
import { startHearth, type RunningHearth } from './support/server.ts';
import { Visitor } from './support/visitor.ts';

/** A phone the width of the smallest in common use. */
const PHONE = { width: 375, height: 812 };

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
    assert.equal(await page.getByLabel('Family name').inputValue(), 'Thompson', 'the one word is read as a family name, and shown in its box');
    assert.equal(await page.getByLabel('Given name').inputValue(), '');

    await harper.screenshot('search-results');
    const results = await searchResults(page);
    const names = results.map((r) => r.name);
    for (const name of ['Mia Rose Thompson', 'Leo Thompson', 'Sarah Thompson', 'Patricia Thompson']) {
      assert.ok(names.includes(name), `${name} is found (found: ${names.join(', ')})`);
    }
    assert.ok(!(await mainText(page)).includes('Oliver'), 'a person in another organisation is never shown');
    assert.equal(await page.getByRole('heading', { level: 2, name: `${results.length} people found` }).count(), 1);
    const mia = results.find((r) => r.name === 'Mia Rose Thompson');
    assert.equal(mia?.facts, `Born ${miaDateOfBirth()} · Female · Parramatta 2150`);

    await harper.followLink('Mia Rose Thompson');
    assert.match(harper.location, /^\/people\/[0-9a-f-]{36}$/);
    assert.equal(await harper.heading(), 'Mia Rose Thompson');
    assert.equal(await page.title(), 'Mia Rose Thompson - Hearth');
  });

  it('a helpline worker finds a child from a misspelt name at the top, and reads why it matches', async (t) => {
    const harper = await Visitor.open(hearth);
    t.after(() => harper.close());
    const page = harper.page;
    await harper.signIn(DEMO.helpline.email);
    await harper.followLink('Find a person');

    // A caller spells the child's names as they sound, and knows only the year she was born.
    await page.getByLabel('Given name').fill('Mya Rose');
    await page.getByLabel('Family name').fill('Tomson');
    await page.getByRole('group', { name: 'Date of birth (optional)' }).getByLabel('Year').fill('2016');
    await harper.pressButton('Search');
    assert.match(harper.location, /^\/people\?given=Mya\+Rose&family=Tomson&.*dateOfBirth-year=2016/, 'the search is in the address: it can be bookmarked or shared');
    await harper.screenshot('search-results-misspelt');

    const results = await searchResults(page);
    assert.equal(results[0]?.name, 'Mia Rose Thompson', `Mia first (found: ${results.map((r) => `${r.name}: ${r.strength}`).join(', ')})`);
    assert.match(results[0].strength, /^Likely match \((>99|\d{2})%\)$/);
    assert.ok(!results.slice(1).some((r) => r.strength.startsWith('Strong')), 'nobody else is a strong match');

    const reasons = await whyThisMatch(page, 'Mia Rose Thompson');
    assert.ok(reasons.some((r) => /^Family name: "Tomson" looks like a misspelling of "Thompson" \(counts for: \+\d+\.\d\)$/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /^Given name: .*"Mya Rose".*"Mia Rose".* \(counts for: \+\d+\.\d\)$/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /^Date of birth: 12\/4\/2016 fits year 2016, as searched \(counts for: \+\d+\.\d\)$/.test(r)), reasons.join('\n'));
    await harper.screenshot('search-results-why');

    await harper.followLink('Mia Rose Thompson');
    assert.equal(await harper.heading(), 'Mia Rose Thompson');
  });

  it('the misspelt search works the same without JavaScript, on a phone', async (t) => {
    const harper = await Visitor.open(hearth, { javaScriptEnabled: false, viewport: PHONE });
    t.after(() => harper.close());
    const page = harper.page;
    await harper.signIn(DEMO.helpline.email);
    assert.equal(await page.evaluate(() => document.body.classList.contains('govuk-frontend-supported')), false, 'the page really is without JavaScript');

    await harper.visit('/people');
    await page.getByLabel('Given name').fill('Mya Rose');
    await page.getByLabel('Family name').fill('Tomson');
    // The age, sex and address boxes are folded under "More details": a <details> opens without a script.
    await page.getByText('More details: age, sex, address, identifier').click();
    await page.getByRole('group', { name: 'Sex' }).getByLabel('Female').check();
    await page.getByLabel('Suburb or town').fill('Parramatta');
    await harper.pressButton('Search');
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    assert.ok(scrollWidth <= innerWidth, `the results fit a ${innerWidth}px screen (${scrollWidth}px)`);
    await harper.screenshot('search-results-phone');

    const results = await searchResults(page);
    assert.equal(results[0]?.name, 'Mia Rose Thompson', results.map((r) => r.name).join(', '));
    const reasons = await whyThisMatch(page, 'Mia Rose Thompson');
    assert.ok(reasons.some((r) => /^Suburb: "Parramatta" agrees \(counts for/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /^Sex: both female \(counts for/.test(r)), reasons.join('\n'));
  });

  it('a search that matches nobody says so and suggests what to try', async (t) => {
    const harper = await Visitor.open(hearth);
    t.after(() => harper.close());
    await harper.signIn(DEMO.helpline.email);
    await harper.visit('/people?name=Zzyzx');
    assert.equal(await harper.page.getByRole('heading', { name: '0 people found' }).count(), 1);
    assert.match(await mainText(harper.page), /Nobody matches\. Check what you entered, or leave out a detail you are unsure of\./);
  });

  it('a search with nothing to search by is refused with the GOV.UK error summary', async (t) => {
    const harper = await Visitor.open(hearth);
    t.after(() => harper.close());
    await harper.signIn(DEMO.helpline.email);
    await harper.visit('/people');
    await harper.pressButton('Search', 400);
    const summary = harper.page.locator('.govuk-error-summary');
    assert.match(await summary.innerText(), /There is a problem\s+Enter a name, a date of birth or an identifier/);
    await summary.getByRole('link', { name: 'Enter a name, a date of birth or an identifier' }).click();
    assert.equal(await harper.page.evaluate(() => document.activeElement?.id), 'given', 'the link takes the focus to the box to fill in');
  });
});

/** "12 April 2016, age N", with N as of today in Sydney, as the page shows it. */
function miaDateOfBirth(): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Sydney' }).format(new Date());
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const age = year - 2016 - (month < 4 || (month === 4 && day < 12) ? 1 : 0);
  return `12 April 2016, age ${age}`;
}
