import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO, errorSummary, mainText } from './support/pages.ts';
import { startHearth, type RunningHearth } from './support/server.ts';
import { Visitor } from './support/visitor.ts';

describe('When something is not right', () => {
  let hearth: RunningHearth;
  before(async () => {
    hearth = await startHearth();
  });
  after(() => hearth.close());

  it('an address that does not exist shows "Page not found", signed out and signed in', async (t) => {
    const casey = await Visitor.open(hearth);
    t.after(() => casey.close());
    await casey.visit('/no-such-page', 404);
    assert.equal(await casey.heading(), 'Page not found');
    assert.match(await mainText(casey.page), /If you typed the web address, check it is correct/);
    assert.equal(await casey.page.title(), 'Page not found - Hearth');

    await casey.signIn(DEMO.caseworker.email);
    await casey.visit('/people/00000000-0000-4000-8000-000000000000', 404);
    assert.equal(await casey.heading(), 'Page not found');
    await casey.visit('/people/not-an-id', 404);
    assert.equal(await casey.heading(), 'Page not found');
    await casey.followLink('Go to the start page');
    assert.equal(casey.location, '/');
  });

  it('an auditor opening the people search is told they cannot see it (403)', async (t) => {
    const aubrey = await Visitor.open(hearth);
    t.after(() => aubrey.close());
    await aubrey.signIn(DEMO.auditor.email);
    assert.equal(await aubrey.heading(), `Hello, ${DEMO.auditor.name}`);
    assert.equal(await aubrey.page.getByRole('link', { name: 'Find a person' }).count(), 0, 'the menu offers only what the role may use');

    await aubrey.visit('/people', 403);
    assert.equal(await aubrey.heading(), 'You cannot see this page');
    assert.match(await mainText(aubrey.page), /You do not have permission to see this page\./);
    await aubrey.visit('/people/new', 403);
    assert.equal(await aubrey.heading(), 'You cannot see this page');

    // What an auditor may do: see who looked at a record.
    await aubrey.followLink('Audit');
    await aubrey.page.getByLabel('Name').fill('Mia Thompson');
    await aubrey.pressButton('Search');
    await aubrey.followLink('Mia Rose Thompson');
    assert.equal(await aubrey.heading(), "Who viewed or changed Mia Rose Thompson's record");
  });

  it('"Add a person" sent empty shows the GOV.UK error summary and keeps the answers given', async (t) => {
    const casey = await Visitor.open(hearth);
    t.after(() => casey.close());
    const page = casey.page;
    await casey.signIn(DEMO.caseworker.email);
    await casey.followLink('Add a person');
    assert.equal(await casey.heading(), 'Add a person');

    await page.getByLabel('Preferred name (optional)').fill('Sunny');
    await page.getByRole('radio', { name: 'Female', exact: true }).check();
    await page.getByLabel('Languages (optional)').fill('Tongan, English');
    await page.getByRole('radio', { name: 'Yes', exact: true }).check();
    await casey.pressButton('Save', 400);
    await casey.screenshot('add-a-person-error');

    assert.match(await page.title(), /^Error: Add a person - Hearth$/);
    assert.deepEqual(await errorSummary(page), {
      title: 'There is a problem',
      links: [{ text: 'Enter a given name or a family name', href: '#givenNames' }],
    });
    await page.waitForFunction(() => document.activeElement?.closest('.govuk-error-summary') !== null);
    assert.match(await page.locator('#givenNames-error').innerText(), /Enter a given name or a family name/);
    await page.locator('.govuk-error-summary').getByRole('link').click();
    await page.waitForFunction(() => document.activeElement?.id === 'givenNames');

    assert.equal(await page.getByLabel('Preferred name (optional)').inputValue(), 'Sunny');
    assert.equal(await page.getByLabel('Languages (optional)').inputValue(), 'Tongan, English');
    assert.ok(await page.getByRole('radio', { name: 'Female', exact: true }).isChecked());
    assert.ok(await page.getByRole('radio', { name: 'Yes', exact: true }).isChecked());

    await page.getByLabel('Given names').fill('Sunny');
    await page.getByLabel('Family name').fill('Fifita');
    await casey.pressButton('Save');
    assert.equal(await casey.heading(), 'Sunny Fifita');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /Record created\./);
  });

  it('a form sent without its security token is refused with a page that says what to do', async (t) => {
    const casey = await Visitor.open(hearth);
    t.after(() => casey.close());
    await casey.signIn(DEMO.caseworker.email);
    await casey.followLink('Add a person');
    await casey.page.locator('main input[name="_csrf"]').evaluate((input) => input.remove());
    await casey.page.getByLabel('Given names').fill('Nobody');
    await casey.pressButton('Save', 403);
    assert.equal(await casey.heading(), 'This form has expired');
  });
});
