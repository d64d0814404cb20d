import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO, mainText, tableRows } from './support/pages.ts';
import { startHearth, type RunningHearth } from './support/server.ts';
import { Visitor } from './support/visitor.ts';

/** A phone the width of the smallest in common use. */
const PHONE = { width: 375, height: 812 };

/** The guide's answers that lead to "report now". */
const REPORT_NOW = '/report/guide/recommendation?danger=no&concern=basic-needs&harm=pattern&protection=with-help&vulnerability=no';

describe('The front door', () => {
  let hearth: RunningHearth;
  before(async () => {
    hearth = await startHearth();
  });
  after(() => hearth.close());

  it('a teacher goes from the guide to a sent report, and later sees its outcome', async (t) => {
    const teacher = await Visitor.open(hearth);
    t.after(() => teacher.close());
    const page = teacher.page;
    await teacher.visit(REPORT_NOW);
    assert.equal(await teacher.heading(), 'Report to the Child Protection Helpline now');
    await teacher.arrive(() => page.getByRole('button', { name: /Make a report online/ }).click());
    assert.equal(await teacher.heading(), 'Report a concern about a child');

    await page.getByLabel('Given names').fill('Ruby');
    await page.getByLabel('Family name').fill('Castellano');
    await page.getByLabel('Day', { exact: true }).fill('9');
    await page.getByLabel('Month', { exact: true }).fill('2');
    await page.getByLabel('Year', { exact: true }).fill('2018');
    await page.getByLabel('Suburb or town').fill('Glebe');
    await page.getByLabel('Postcode').fill('2037');
    await page.getByLabel('Basic needs not met').check();
    await page.getByLabel('Name', { exact: true }).fill('Jo Example');
    await page.getByLabel('Role').fill('Teacher');
    await page.getByLabel('Email address').fill('jo.example@school.example');

    // Sent too soon: the error summary names what is missing, and nothing typed is lost.
    await teacher.pressButton('Send report', 400);
    assert.match(await page.title(), /^Error: /);
    await page.getByRole('link', { name: 'Enter what you saw or heard' }).click();
    assert.equal(await page.getByLabel('Given names').inputValue(), 'Ruby');
    await page.getByLabel('What did you see or hear?').fill('Ruby has come to school hungry every day this week, with no lunch. <script>alert(1)</script>');
    await page.getByRole('radio', { name: 'I do not know' }).check();
    await teacher.screenshot('online-report-form');

    await teacher.pressButton('Send report');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText().then((h) => h.trim()), 'Report sent');
    const text = await mainText(page);
    const reference = /Your reference\s+([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(text)?.[1];
    assert.ok(reference, text);
    const statusLink = await page.getByRole('link', { name: /\/report\/status\// }).innerText();
    assert.match(text, /Received: the helpline has your report/);
    await teacher.screenshot('online-report-sent');

    // The helpline screens it out to family support.
    const manager = await Visitor.open(hearth);
    t.after(() => manager.close());
    await manager.signIn(DEMO.manager.email);
    await manager.followLink('Front door');
    await manager.followLink(reference);
    assert.match(await mainText(manager.page), /<script>alert\(1\)<\/script>/, 'script is shown as text');
    await manager.pressButton('Identify Ruby Castellano');
    await manager.pressButton('Add Ruby Castellano as a new person');
    await manager.arrive(() => manager.page.getByRole('button', { name: 'Screen this report' }).click());
    await manager.page.getByRole('radio', { name: 'No: screen out' }).check();
    await manager.page.getByRole('radio', { name: 'Referred to family support' }).check();
    await manager.page.getByLabel('Reasons for your decision').fill('School can support with breakfast club; family open to help.');
    await manager.pressButton('Record decision');
    assert.match(await mainText(manager.page), /Screened out/);

    await teacher.visit(new URL(statusLink).pathname);
    assert.equal(await teacher.heading(), `Report ${reference}`);
    assert.match(await mainText(page), /Referred to support/);
    assert.doesNotMatch(await mainText(page), /Ruby|breakfast/, 'nothing confidential on the status page');
    await teacher.screenshot('online-report-status');
  });

  it('a reporter on a phone without JavaScript saves a half-filled report and finishes it later from the private link', async (t) => {
    const nurse = await Visitor.open(hearth, { javaScriptEnabled: false, viewport: PHONE });
    t.after(() => nurse.close());
    await nurse.visit('/report/online');
    await nurse.page.getByLabel('Given names').fill('Oscar');
    await nurse.page.getByLabel('What did you see or hear?').fill('Bruising on both arms, explained differently each time.');
    await nurse.pressButton('Add another child');
    assert.equal(await nurse.page.getByRole('group', { name: 'Child 2' }).count(), 1);
    await nurse.pressButton('Save and come back later');
    const link = await nurse.page.getByRole('link', { name: /\/report\/draft\// }).innerText();
    await nurse.screenshot('online-report-saved-phone');
    const overflow = await nurse.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page fits the phone's width (overflows by ${overflow}px)`);

    const later = await Visitor.open(hearth, { javaScriptEnabled: false });
    t.after(() => later.close());
    await later.visit(new URL(link).pathname);
    assert.equal(await later.page.getByLabel('Given names').first().inputValue(), 'Oscar');
    assert.match(await later.page.getByLabel('What did you see or hear?').inputValue(), /Bruising on both arms/);
    await later.pressButton('Remove child 2');
    assert.equal(await later.page.getByRole('group', { name: 'Child 2' }).count(), 0);
  });

  it('a helpline worker records a phone report, finds the child despite a misspelt name, screens it in, and finds it in the right queue', async (t) => {
    const harper = await Visitor.open(hearth);
    t.after(() => harper.close());
    const page = harper.page;
    await harper.signIn(DEMO.helpline.email);
    await harper.followLink('Front door');
    assert.equal(await harper.heading(), 'Front door');
    await harper.arrive(() => page.getByRole('button', { name: 'Record a phone report' }).click());
    assert.equal(await harper.heading(), 'Record a phone report');
    await page.getByLabel('Given names').fill('Mya');
    await page.getByLabel('Family name').fill('Tompson');
    await page.getByLabel('Day', { exact: true }).fill('12');
    await page.getByLabel('Month', { exact: true }).fill('4');
    await page.getByLabel('Year', { exact: true }).fill('2016');
    await page.getByLabel('Postcode').fill('2150');
    await page.getByLabel('Physical or sexual abuse').check();
    await page.getByLabel('What did you see or hear?').fill('Caller saw an adult hit the child in the front yard this afternoon.');
    await page.getByRole('radio', { name: 'No', exact: true }).check();
    await harper.pressButton('Send report');
    assert.match(await mainText(page), /Report recorded/);
    const reference = /Report ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(await harper.heading())?.[1];
    assert.ok(reference);
    assert.match(await mainText(page), /The reporter said the child is not safe right now/);

    await harper.pressButton('Identify Mya Tompson');
    assert.equal(await harper.heading(), 'Who is Mya Tompson?');
    const first = page.locator('.app-results__item').first();
    assert.equal((await first.locator('h2').innerText()).trim(), 'Mia Rose Thompson', 'the known child is the best match');
    await harper.screenshot('front-door-identify');
    await harper.arrive(() => first.getByRole('button').click());
    assert.match(await mainText(page), /Identified as Mia Rose Thompson, born 12 April 2016/);

    await harper.arrive(() => page.getByRole('button', { name: 'Screen this report' }).click());
    await page.getByLabel('Physical or sexual abuse (s23(1)(c))').check();
    await page.getByRole('radio', { name: 'Yes: screen in' }).check();
    await page.getByRole('radio', { name: 'Within 24 hours' }).check();
    await page.getByLabel('Reasons for your decision').fill('An adult was seen hitting the child; the child is not safe now.');
    await harper.screenshot('front-door-screen');
    await harper.pressButton('Record decision');
    const decided = await mainText(page);
    assert.match(decided, /Screened in/);
    assert.match(decided, /Queue\s+Parramatta/);

    await harper.followLink('Front door');
    await harper.screenshot('front-door-dashboard');
    await harper.arrive(() => page.getByRole('link', { name: /^Parramatta/ }).click());
    const rows = await tableRows(page.locator('table'));
    const row = rows.find((r) => r[0] === reference);
    assert.ok(row, `the report is in Parramatta's queue: ${JSON.stringify(rows)}`);
    assert.equal(row[3], 'Within 24 hours');
    assert.match(row[4]!, /Due within a day/);
  });
  it('screening out a report about a baby waits for a second worker, who agrees', async (t) => {
    const harper = await Visitor.open(hearth);
    t.after(() => harper.close());
    const page = harper.page;
    await harper.signIn(DEMO.helpline.email);
    await harper.visit('/front-door/reports/new');
    await page.getByLabel('Given names').fill('Baby');
    await page.getByLabel('Family name').fill('Okonkwo-Reyes');
    const born = new Date(Date.now() - 90 * 86_400_000); // three months old, whatever day the test runs
    await page.getByLabel('Day', { exact: true }).fill(String(born.getUTCDate()));
    await page.getByLabel('Month', { exact: true }).fill(String(born.getUTCMonth() + 1));
    await page.getByLabel('Year', { exact: true }).fill(String(born.getUTCFullYear()));
    await page.getByLabel('Basic needs not met').check();
    await page.getByLabel('What did you see or hear?').fill('A midwife worried the parents seemed overwhelmed at discharge.');
    await page.getByRole('radio', { name: 'Yes', exact: true }).check();
    await harper.pressButton('Send report');
    const reference = /Report ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(await harper.heading())![1]!;
    await harper.pressButton('Identify Baby Okonkwo-Reyes');
    await harper.pressButton('Add Baby Okonkwo-Reyes as a new person');
    await harper.arrive(() => page.getByRole('button', { name: 'Screen this report' }).click());
    await page.getByRole('radio', { name: 'No: screen out' }).check();
    await page.getByRole('radio', { name: 'Referred to family support' }).check();
    await page.getByLabel('Reasons for your decision').fill('Parents accepted a family support referral at discharge.');
    await harper.pressButton('Record decision');
    assert.match(await mainText(page), /Awaiting second check/);

    const morgan = await Visitor.open(hearth);
    t.after(() => morgan.close());
    await morgan.signIn(DEMO.manager.email);
    await morgan.visit('/front-door/awaiting');
    await morgan.followLink(reference);
    await morgan.arrive(() => morgan.page.getByRole('button', { name: 'Give the second check' }).click());
    assert.match(await mainText(morgan.page), /Baby Okonkwo-Reyes is under 24 months old/);
    await morgan.pressButton('Record second check', 400);
    await morgan.page.getByRole('radio', { name: 'Yes, screen it out' }).check();
    await morgan.pressButton('Record second check');
    const text = await mainText(morgan.page);
    assert.match(text, /Screened out/);
    assert.match(text, /Agreed by Morgan Reid/);
  });
});
