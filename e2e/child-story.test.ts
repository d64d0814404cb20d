import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO, networkMembers, openPerson, storyEvents, summaryValue } from './support/pages.ts';
import { startHearth, type RunningHearth } from './support/server.ts';
import { Visitor } from './support/visitor.ts';

describe("A child's story on one page", () => {
  let hearth: RunningHearth;
  before(async () => {
    hearth = await startHearth();
  });
  after(() => hearth.close());

  it("Mia's page shows who she is, her network in her terms, and what has happened", async (t) => {
    const casey = await Visitor.open(hearth);
    t.after(() => casey.close());
    const page = casey.page;
    await casey.signIn(DEMO.caseworker.email);
    await openPerson(casey, 'Mia Thompson', 'Mia Rose Thompson');
    await casey.screenshot('person-page');

    assert.equal(await summaryValue(page, 'Given names'), 'Mia Rose');
    assert.equal(await summaryValue(page, 'Current address'), '12 Sample Street, Parramatta, NSW 2150 (since 15 August 2022)');
    assert.equal(await summaryValue(page, 'Previous address'), '4 Example Lane, Blacktown, NSW 2148 (from 1 May 2016 until 15 August 2022)');
    assert.equal(await summaryValue(page, 'Medicare card number'), '2123 45670 1');

    assert.deepEqual((await networkMembers(page, 'Mia Rose Thompson')).sort(), [
      'Daniel Hughes: Household member',
      'Leo Thompson: Sibling',
      'Patricia Thompson: Grandparent',
      'Sarah Thompson: Parent',
    ]);

    const story = await storyEvents(page);
    assert.equal(story.at(-1), 'Record created', 'the story starts with the record being created');
    for (const event of [
      'Address added: 4 Example Lane, Blacktown, NSW 2148',
      'Sarah Thompson added to their network as parent',
      'Daniel Hughes added to their network as household member',
    ]) {
      assert.ok(story.some((line) => line.startsWith(event)), `the story has "${event}" (it has: ${story.join(' | ')})`);
    }
    // The newest event: the demo's report about Mia, screened in by the helpline worker.
    assert.match(story[0]!, /^Report [A-Z0-9]{4}-[A-Z0-9]{4} screened in: within 72 hours/);
    assert.match(await page.locator('.app-timeline__meta').first().innerText(), /by Harper Lane$/);
    assert.match(await page.locator('.app-timeline__meta').last().innerText(), /by Casey Morgan$/);

    // Sarah's own page tells the same relationship from her side.
    await casey.followLink('Sarah Thompson');
    assert.equal(await casey.heading(), 'Sarah Thompson');
    assert.deepEqual((await networkMembers(page, 'Sarah Thompson')).sort(), [
      'Daniel Hughes: Partner',
      'Leo Thompson: Child',
      'Mia Rose Thompson: Child',
      'Patricia Thompson: Parent',
    ]);
  });
});
