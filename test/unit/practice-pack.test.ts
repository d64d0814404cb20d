import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parsePracticePack, practicePack, PracticePackError } from '../../src/practice/pack.ts';

const nswData = () => JSON.parse(readFileSync(path.join(import.meta.dirname, '../../src/practice/nsw/pack.json'), 'utf8')) as Record<string, unknown> & { calendar: Record<string, unknown[]>; grounds: Record<string, unknown>[] };

describe('practice packs', () => {
  it("loads the NSW pack: the Act's seven grounds, three priorities and the Sydney calendar", () => {
    const nsw = practicePack('nsw');
    assert.equal(nsw.timeZone, 'Australia/Sydney');
    assert.deepEqual(nsw.grounds.map((g) => g.section), ['s23(1)(a)', 's23(1)(b)', 's23(1)(b1)', 's23(1)(c)', 's23(1)(d)', 's23(1)(e)', 's23(1)(f) and s25']);
    assert.deepEqual(nsw.responsePriorities.map((p) => [p.code, p.timescale.amount, p.timescale.unit]), [['within-24-hours', 24, 'hours'], ['within-72-hours', 72, 'hours'], ['within-10-days', 10, 'days']]);
    assert.equal(nsw.priority('within-72-hours')?.label, 'Within 72 hours');
    assert.equal(nsw.priority('tomorrow'), undefined);
    assert.deepEqual(nsw.secondCheck, { childUnderMonths: 24, reportsWithinMonths: 12, reportsAtLeast: 3 });
    assert.equal(practicePack('nsw'), nsw, 'read once');
  });

  it('refuses an unknown pack by name, listing the ones there are', () => {
    assert.throws(() => practicePack('../nsw'), /There is no practice pack "\.\.\/nsw"\. Packs: nsw/);
  });

  it('names every mistake in a pack and where it is, rather than loading half of it', () => {
    const data = nswData();
    data['timeZone'] = 'Australia/Gotham';
    data.calendar['overrides']!.push({ date: '2026-02-29', change: 'add', name: 'Not a date' });
    data.calendar['weekend']!.push('caturday');
    (data['address'] as { postcodePattern: string }).postcodePattern = '^(\\d{4}$';
    const error = (() => {
      try {
        parsePracticePack(data, 'broken.json');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assert.ok(error instanceof PracticePackError);
    assert.match(error.message, /broken\.json has mistakes/);
    assert.match(error.message, /timeZone: an IANA time zone/);
    assert.match(error.message, /calendar\.overrides\.1\.date: a real date/);
    assert.match(error.message, /calendar\.weekend\.2:/);
    assert.match(error.message, /address\.postcodePattern: a regular expression/);

  });

  it('catches a repeated code and a day the month never has', () => {
    const data = nswData();
    data.grounds[1]!['code'] = data.grounds[0]!['code'];
    data.calendar['holidays']!.push({ name: 'Leap day', kind: 'fixed', month: 2, day: 29, onWeekend: 'none' });
    data.calendar['holidays']!.push({ name: 'Backwards', kind: 'fixed', month: 3, day: 1, onWeekend: 'none', fromYear: 2030, untilYear: 2020 });
    (data['reporterGuide'] as { questions: { code: string }[] }).questions[0]!.code = 'answer';
    (data['screening'] as { screenedOutOutcomes: { code: string }[] }).screenedOutOutcomes[1]!.code = 'family-support';
    const message = (() => {
      try {
        parsePracticePack(data, 'x.json');
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    assert.match(message, /grounds\.1\.code: basic-needs appears twice/);
    assert.match(message, /screening\.screenedOutOutcomes\.1\.code: family-support appears twice/);
    assert.match(message, /calendar\.holidays\.12\.day: month 2 has no day 29 every year/);
    assert.match(message, /calendar\.holidays\.13\.untilYear: 2020 is before 2030/);
    assert.match(message, /reporterGuide\.questions\.0\.code: answer is a word the guide's pages use itself/);
  });
});
