import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHearth, type RunningHearth } from './support/server.ts';
import { Visitor } from './support/visitor.ts';

describe("The reporter's guide", () => {
  let hearth: RunningHearth;
  before(async () => {
    hearth = await startHearth();
  });
  after(() => hearth.close());

  it('a teacher with a concern answers the questions and is told to report now, and why', async (t) => {
    const teacher = await Visitor.open(hearth);
    t.after(() => teacher.close());
    const page = teacher.page;
    await teacher.visit('/report');
    assert.equal(await teacher.heading(), 'Report a concern about a child');
    await teacher.arrive(() => page.getByRole('button', { name: /Start now/ }).click()); // a start button is a link styled, and named, as a button
    assert.equal(await teacher.heading(), 'Is a child in immediate danger?');

    // Nothing chosen: the error summary says what to do and leads to the question.
    await teacher.pressButton('Continue', 400);
    assert.equal(await page.title(), 'Error: Is a child in immediate danger? - Hearth');
    await page.getByRole('link', { name: 'Select yes if a child is in immediate danger' }).click();

    await page.getByRole('radio', { name: 'No', exact: true }).check();
    await teacher.pressButton('Continue');
    assert.equal(await teacher.heading(), 'What is your main concern about the child?');
    await page.getByRole('radio', { name: 'Not enough food, shelter, hygiene or supervision' }).check();
    await teacher.pressButton('Continue');
    await page.getByRole('radio', { name: 'It keeps happening, or it is getting worse' }).check();
    await teacher.pressButton('Continue');
    await page.getByRole('radio', { name: 'Perhaps, with help they might accept' }).check();
    await teacher.pressButton('Continue');
    await page.getByRole('radio', { name: 'No', exact: true }).check();
    await teacher.pressButton('Continue');

    assert.equal(await teacher.heading(), 'Report to the Child Protection Helpline now');
    assert.match(await page.locator('main').innerText(), /It keeps happening, or it is getting worse \(this led to the recommendation\)/);
    await teacher.screenshot('reporter-guide-recommendation');

    // Changing one answer goes straight back to a new recommendation.
    await teacher.arrive(() => page.getByRole('link', { name: 'Change how serious is it?' }).click());
    await page.getByRole('radio', { name: 'It is not serious yet, but the family is struggling' }).check();
    await teacher.pressButton('Continue');
    assert.equal(await teacher.heading(), 'Refer the family to support services');
  });

  it('a child in immediate danger: the guide says to call 000 and stops', async (t) => {
    const nurse = await Visitor.open(hearth, { javaScriptEnabled: false });
    t.after(() => nurse.close());
    await nurse.visit('/report/guide/danger');
    await nurse.page.getByRole('radio', { name: 'Yes' }).check();
    await nurse.pressButton('Continue');
    assert.equal(await nurse.heading(), 'Call 000 now');
    assert.equal(await nurse.page.getByRole('button').count(), 0);
  });
});
