import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO, errorSummary, openPerson, searchResults, successBanner, summaryValue } from './support/pages.ts';
import { startHearth, type RunningHearth } from './support/server.ts';
import { Visitor } from './support/visitor.ts';

describe('Hearth without JavaScript', () => {
  let hearth: RunningHearth;
  before(async () => {
    hearth = await startHearth();
  });
  after(() => hearth.close());

  it('a helpline worker signs in, searches, corrects a form and saves a change with scripts turned off', async (t) => {
    const harper = await Visitor.open(hearth, { javaScriptEnabled: false });
    t.after(() => harper.close());
    const page = harper.page;

    // Asking for a page while signed out goes to sign-in, and back to the page afterwards.
    await harper.visit('/people?name=Thompson');
    assert.equal(harper.location, `/sign-in?returnTo=${encodeURIComponent('/people?name=Thompson')}`);
    const scriptsRan = await page.evaluate(() => document.body.classList.contains('govuk-frontend-supported'));
    assert.equal(scriptsRan, false, 'the page really is without JavaScript');
    assert.equal(await page.getByRole('button', { name: /Show/ }).isVisible(), false, 'no "Show password" button without a script to drive it');

    await page.getByLabel('Email address').fill(DEMO.helpline.email);
    await page.getByLabel('Password', { exact: true }).fill('hearth-demo-password');
    await harper.pressButton('Sign in');
    assert.equal(harper.location, '/people?name=Thompson');
    const names = (await searchResults(page)).map((r) => r.name);
    assert.ok(names.includes('Mia Rose Thompson') && names.includes('Leo Thompson'), names.join(', '));

    // Narrow by date of birth.
    const dob = page.getByRole('group', { name: 'Date of birth (optional)' });
    await dob.getByLabel('Day').fill('3');
    await dob.getByLabel('Month').fill('9');
    await dob.getByLabel('Year').fill('2019');
    await harper.pressButton('Search');
    const narrowed = await searchResults(page);
    assert.equal(narrowed[0]?.name, 'Leo Thompson', narrowed.map((r) => r.name).join(', '));
    assert.match(narrowed[0].strength, /^Likely match/);
    assert.ok(!narrowed.slice(1).some((r) => r.strength.startsWith('Strong')), 'only Leo is a strong match');

    // A date that cannot be: the error summary, with a link to the box to fix.
    await dob.getByLabel('Month').fill('13');
    await harper.pressButton('Search', 400);
    const summary = await errorSummary(page);
    assert.equal(summary.title, 'There is a problem');
    assert.equal(summary.links.length, 1);
    assert.equal(summary.links[0]?.href, '#dateOfBirth-day', 'the link goes to the date, whose first box takes the focus');
    assert.match(summary.links[0]?.text ?? '', /Date of birth must be a real date/);

    await openPerson(harper, 'Leo Thompson', 'Leo Thompson');
    await harper.followLink('Change details (Details)');
    await page.getByLabel('Preferred name (optional)').fill('Lee');
    await harper.pressButton('Save');
    assert.equal(await successBanner(page), 'Details saved.');
    assert.equal(await summaryValue(page, 'Preferred name'), 'Lee');

    await harper.signOut();
    assert.equal(await successBanner(page), 'You have signed out.');
  });
});
