import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO, mainText, storyEvents, successBanner, tableRows } from './support/pages.ts';
import { findDuplicates, startHearth, type RunningHearth } from './support/server.ts';
import { Visitor } from './support/visitor.ts';

/**
 * The demo data holds no one twice, so the test makes a duplicate the way it happens: a second record
 * of Aisha Rahman is added at intake with her name spelt as it sounded ("Aysha"), through the pages.
 * Then the duplicate finder runs over the organisation, as `npx hearth people duplicates` would
 * overnight, and the team manager reviews what it queued.
 */
describe('Reviewing duplicate records', () => {
  let hearth: RunningHearth;
  before(async () => {
    hearth = await startHearth();
  });
  after(() => hearth.close());

  it('a team manager reviews a likely duplicate, merges it keeping the older record, sees where it went, and undoes the merge', async (t) => {
    const morgan = await Visitor.open(hearth);
    t.after(() => morgan.close());
    const page = morgan.page;
    await morgan.signIn(DEMO.manager.email);

    // A second record of Aisha, made at intake.
    await morgan.followLink('Add a person');
    await page.getByLabel('Given names').fill('Aysha');
    await page.getByLabel('Family name').fill('Rahman');
    const dob = page.getByRole('group', { name: 'Date of birth' });
    await dob.getByLabel('Day').fill('14');
    await dob.getByLabel('Month').fill('7');
    await dob.getByLabel('Year').fill('2018');
    await page.getByRole('radio', { name: 'Female', exact: true }).check();
    await morgan.pressButton('Save');
    assert.equal(await morgan.heading(), 'Aysha Rahman');
    const ayshaPath = new URL(page.url()).pathname;

    assert.equal(await findDuplicates(hearth, DEMO.manager.email), 1, 'the finder queues the one likely pair');

    // The queue.
    await morgan.visit('/');
    await morgan.followLink('Review possible duplicate records');
    assert.equal(await morgan.heading(), 'Possible duplicate records');
    const queue = await tableRows(page.getByRole('table', { name: 'Pairs to review' }));
    assert.equal(queue.length, 1);
    assert.deepEqual(queue[0]!.slice(0, 2).sort(), ['Aisha Rahman born 14 July 2018', 'Aysha Rahman born 14 July 2018']);
    assert.match(queue[0]![2]!, /^Likely match \((>99|\d{2})%\)$/);

    // The pair, side by side.
    await morgan.followLink(/^Review (Aisha Rahman and Aysha Rahman|Aysha Rahman and Aisha Rahman)$/);
    assert.equal(await morgan.heading(), 'Are these the same person?');
    const records = new Map((await tableRows(page.getByRole('table', { name: 'The two records' }))).map(([field, ...values]) => [field, values]));
    assert.deepEqual(records.get('Date of birth'), ['14 July 2018', '14 July 2018']);
    assert.ok(records.has('Name (different)'), `the names are marked as different: ${[...records.keys()].join(', ')}`);
    assert.ok(
      records.get('Network (different)')?.some((cell) => cell.includes('Farida Rahman')),
      "Aisha's network is there to compare",
    );
    const reasons = (await tableRows(page.getByRole('table', { name: 'What the matcher compared, and how much each counted' }))).map((row) => row.join(' | '));
    assert.ok(reasons.some((r) => /^Given name: "(Aisha|Aysha)" and "(Aisha|Aysha)" are forms of the same name \| For \| \+\d/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /^Date of birth: 14\/7\/2018 agrees \| For/.test(r)), reasons.join('\n'));
    await morgan.screenshot('duplicate-pair');
    const pairPath = new URL(page.url()).pathname;

    // The same page on a phone: each table folds into one block per row, with nothing to scroll sideways.
    const onPhone = await Visitor.open(hearth, { viewport: { width: 375, height: 812 } });
    t.after(() => onPhone.close());
    await onPhone.signIn(DEMO.manager.email);
    await onPhone.visit(pairPath);
    const width = await onPhone.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    assert.ok(width.scroll <= width.inner, `the pair fits a ${width.inner}px screen (${width.scroll}px)`);
    await onPhone.screenshot('duplicate-pair-phone');

    // Merge, keeping Aisha's record: it has her history.
    await page.getByRole('radio', { name: /^The same person: merge, keeping record [AB] \(Aisha Rahman\)$/ }).check();
    await page.getByLabel('Reason (optional)').fill('Same date of birth and mother; name spelt as heard at intake');
    await morgan.pressButton('Confirm decision');
    assert.equal(await morgan.heading(), 'Aisha Rahman');
    const aishaPath = new URL(page.url()).pathname;
    assert.equal(await successBanner(page), 'Records merged. Everything from both records is here; the merge can be undone below.');
    assert.match(await mainText(page), /Records merged into this one Aysha Rahman, born 14 July 2018: merged .+ by Morgan Reid · Undo this merge/);
    assert.equal((await storyEvents(page))[0], 'Record of Aysha Rahman (born 14 July 2018) merged into this record: Same date of birth and mother; name spelt as heard at intake');
    await morgan.screenshot('merged-record');

    // The merged record says where it went.
    await morgan.followLink('Aysha Rahman');
    assert.equal(new URL(page.url()).pathname, ayshaPath);
    const banner = page.getByRole('region', { name: 'Merged record' });
    assert.match(await banner.innerText(), /This record was merged into the record of Aisha Rahman on .+ by Morgan Reid\./);
    await morgan.screenshot('merged-into-banner');

    // Undo, from there.
    await morgan.arrive(() => banner.getByRole('link', { name: 'Undo this merge' }).click());
    assert.equal(await morgan.heading(), 'Undo this merge?');
    await morgan.pressButton('Undo merge');
    assert.equal(new URL(page.url()).pathname, aishaPath);
    assert.equal(await successBanner(page), 'Merge undone: the two records are separate again.');
    assert.doesNotMatch(await mainText(page), /Records merged into this one/);
    assert.equal((await storyEvents(page))[0], 'Merge undone: the record of Aysha Rahman (born 14 July 2018) is separate again');

    await morgan.visit(ayshaPath);
    assert.equal(await page.getByRole('region', { name: 'Merged record' }).count(), 0);
    assert.equal((await storyEvents(page))[0], 'Merge undone: separated from the record of Aisha Rahman (born 14 July 2018)');

    await morgan.followLink('Possible duplicates');
    assert.match(await mainText(page), /There are no possible duplicates to review\./);
  });
});
