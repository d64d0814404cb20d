import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { DEMO, openPerson, storyEvents, successBanner, summaryValue, tableRows } from './support/pages.ts';
import { startHearth, type RunningHearth } from './support/server.ts';
import { Visitor } from './support/visitor.ts';

describe('Two people changing the same record', () => {
  let hearth: RunningHearth;
  before(async () => {
    hearth = await startHearth();
  });
  after(() => hearth.close());

  /** Casey and Morgan, each at their own browser, both on the person's "Change details" form. */
  async function bothEditing(t: TestContext, search: string, name: string) {
    const casey = await Visitor.open(hearth);
    t.after(() => casey.close());
    const morgan = await Visitor.open(hearth);
    t.after(() => morgan.close());
    await casey.signIn(DEMO.caseworker.email);
    await morgan.signIn(DEMO.manager.email);
    const personPage = await openPerson(casey, search, name);
    await morgan.visit(personPage);
    for (const worker of [casey, morgan]) {
      await worker.followLink('Change details (Details)');
      assert.equal(await worker.heading(), 'Change details');
    }
    return { casey, morgan, personPage };
  }

  it('the second save shows both versions side by side, and "Save my version" saves the second person\'s', async (t) => {
    const { casey, morgan, personPage } = await bothEditing(t, 'Aisha', 'Aisha Rahman');

    await casey.page.getByLabel('Preferred name (optional)').fill('Ash');
    await casey.pressButton('Save');
    assert.equal(casey.location, `${personPage}?saved=details`);
    assert.equal(await successBanner(casey.page), 'Details saved.');
    assert.equal(await summaryValue(casey.page, 'Preferred name'), 'Ash');

    await morgan.page.getByLabel('Gender (optional)').fill('Girl');
    await morgan.pressButton('Save', 409);
    assert.equal(await morgan.heading(), 'Someone else changed this record');
    assert.match(await morgan.page.locator('main').innerText(), /Nothing has been overwritten/);
    await morgan.screenshot('conflict');

    const table = morgan.page.getByRole('table', { name: 'The saved version and yours' });
    assert.deepEqual(await table.locator('thead th').allInnerTexts(), ['Field', 'Saved version (theirs)', 'Your version']);
    const rows = await tableRows(table);
    assert.deepEqual(rows.find((r) => r[0]?.startsWith('Preferred name')), ['Preferred name (different)', 'Ash', 'Not recorded']);
    assert.deepEqual(rows.find((r) => r[0]?.startsWith('Gender')), ['Gender (different)', 'Not recorded', 'Girl']);
    assert.deepEqual(rows.find((r) => r[0]?.startsWith('Given names')), ['Given names', 'Aisha', 'Aisha'], 'unchanged rows are not marked');
    assert.equal(await table.locator('tbody tr.app-conflict__changed').count(), 2);

    await morgan.pressButton('Save my version');
    assert.equal(morgan.location, `${personPage}?saved=details`);
    assert.equal(await summaryValue(morgan.page, 'Gender'), 'Girl');
    assert.equal(await summaryValue(morgan.page, 'Preferred name'), 'Not recorded', 'their version, as shown, replaced the saved one');
    const story = await storyEvents(morgan.page);
    assert.deepEqual(story.slice(0, 2), ['Details changed: preferred name, gender', 'Details changed: preferred name']);
    assert.match(await morgan.page.locator('.app-timeline__meta').first().innerText(), /by Morgan Reid$/);
  });

  it('"Discard my changes" keeps the saved version: nothing is overwritten silently', async (t) => {
    const { casey, morgan, personPage } = await bothEditing(t, 'Jayden', 'Jayden Walker');

    await casey.page.getByLabel('Languages (optional)').fill('English, Kriol');
    await casey.pressButton('Save');
    assert.equal(await summaryValue(casey.page, 'Languages'), 'English, Kriol');

    await morgan.page.getByLabel('Gender (optional)').fill('Boy');
    await morgan.pressButton('Save', 409);
    const rows = await tableRows(morgan.page.getByRole('table', { name: 'The saved version and yours' }));
    assert.deepEqual(rows.find((r) => r[0]?.startsWith('Languages')), ['Languages (different)', 'English, Kriol', 'Not recorded']);

    await morgan.followLink('Discard my changes and keep the saved version');
    assert.equal(morgan.location, personPage);
    assert.equal(await summaryValue(morgan.page, 'Languages'), 'English, Kriol');
    assert.equal(await summaryValue(morgan.page, 'Gender'), 'Not recorded');
    const changes = (await storyEvents(morgan.page)).filter((line) => line.startsWith('Details changed'));
    assert.deepEqual(changes, ['Details changed: languages']);
  });

  it('"Change my version first" goes back to the form with what they typed, against the saved version', async (t) => {
    const { casey, morgan, personPage } = await bothEditing(t, 'Farida', 'Farida Rahman');

    await casey.page.getByLabel('Ethnicity or cultural background (optional)').fill('Hazara');
    await casey.pressButton('Save');

    await morgan.page.getByLabel('Gender (optional)').fill('Woman');
    await morgan.pressButton('Save', 409);
    await morgan.pressButton('Change my version first');
    assert.equal(await morgan.heading(), 'Change details');
    assert.equal(await morgan.page.getByLabel('Gender (optional)').inputValue(), 'Woman');
    await morgan.page.getByLabel('Ethnicity or cultural background (optional)').fill('Hazara');
    await morgan.pressButton('Save');
    assert.equal(morgan.location, `${personPage}?saved=details`);
    assert.equal(await summaryValue(morgan.page, 'Gender'), 'Woman');
    assert.equal(await summaryValue(morgan.page, 'Ethnicity or cultural background'), 'Hazara');
  });
});
