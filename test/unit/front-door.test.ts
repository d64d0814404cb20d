import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { monthsOld, secondCheckReasons } from '../../src/features/front-door/second-check.ts';
import { screeningSchema } from '../../src/features/front-door/screening-schemas.ts';
import { newReference, newToken, normaliseReference, statusTokenFor, tokenHash, TOKEN_PATTERN } from '../../src/features/front-door/tokens.ts';
import { ageText, dueTag } from '../../src/features/front-door/view-models.ts';
import { practicePack } from '../../src/practice/pack.ts';

const pack = practicePack('nsw');

describe('the second check before screening out', () => {
  const child = (over: Partial<Parameters<typeof secondCheckReasons>[0][number]>) => ({ name: 'A', dateOfBirth: null, ageYears: null, reportsInWindow: 1, ...over });

  it('counts whole months of age', () => {
    assert.equal(monthsOld('2024-11-27', '2026-11-27'), 24);
    assert.equal(monthsOld('2024-11-28', '2026-11-27'), 23);
    assert.equal(monthsOld('2024-02-29', '2026-02-28'), 23);
  });

  it('is needed for a child under 24 months (by date of birth or by age), and not at 24 months', () => {
    assert.deepEqual(secondCheckReasons([child({ dateOfBirth: '2024-11-28' })], pack.secondCheck, '2026-11-27'), ['A is under 24 months old']);
    assert.deepEqual(secondCheckReasons([child({ dateOfBirth: '2024-11-27' })], pack.secondCheck, '2026-11-27'), []);
    assert.equal(secondCheckReasons([child({ ageYears: 1 })], pack.secondCheck, '2026-11-27').length, 1);
    assert.equal(secondCheckReasons([child({ ageYears: 2 })], pack.secondCheck, '2026-11-27').length, 0);
  });

  it('is needed for a child reported 3 or more times in 12 months, for each child that calls for it', () => {
    assert.deepEqual(secondCheckReasons([child({ reportsInWindow: 2 })], pack.secondCheck, '2026-11-27'), []);
    assert.deepEqual(secondCheckReasons([child({ reportsInWindow: 2 }), child({ name: 'B', reportsInWindow: 3 })], pack.secondCheck, '2026-11-27'), [
      'B has been reported 3 times in 12 months',
    ]);
  });
});

describe('references and private links', () => {
  it('draws references with no letters or digits that are easy to misread', () => {
    for (let i = 0; i < 200; i += 1) assert.match(newReference(), /^[ACDEFGHJKMNPQRTUVWXY234679]{4}-[ACDEFGHJKMNPQRTUVWXY234679]{4}$/);
    assert.equal(normaliseReference(' k7qd m2xa '), 'K7QD-M2XA');
    assert.equal(normaliseReference('K7QD-M2X'), null);
  });

  it('makes 256-bit links, stores only their hash, and derives the status link from the draft link', () => {
    const token = newToken();
    assert.match(token, TOKEN_PATTERN);
    assert.notEqual(newToken(), token);
    assert.match(tokenHash(token), /^[0-9a-f]{64}$/);
    assert.equal(statusTokenFor(token), statusTokenFor(token));
    assert.notEqual(statusTokenFor(token), token);
    assert.match(statusTokenFor(token), TOKEN_PATTERN);
  });
});

describe('the marks in every queue', () => {
  const now = new Date('2026-11-27T00:00:00Z');
  it('marks overdue, due within a day, and on time', () => {
    assert.equal(dueTag(new Date('2026-11-26T23:59:00Z'), now)?.text, 'Overdue');
    assert.equal(dueTag(new Date('2026-11-27T23:00:00Z'), now)?.text, 'Due within a day');
    assert.equal(dueTag(new Date('2026-11-29T00:00:00Z'), now)?.text, 'On time');
    assert.equal(dueTag(null, now), null);
  });
  it('says how long a report has waited', () => {
    assert.equal(ageText(new Date('2026-11-26T23:59:00Z'), now), '1 minute');
    assert.equal(ageText(new Date('2026-11-26T19:00:00Z'), now), '5 hours');
    assert.equal(ageText(new Date('2026-11-24T00:00:00Z'), now), '3 days');
  });
});

describe('the screening decision form', () => {
  const schema = screeningSchema(pack);
  it('needs a priority and a ground to screen in, an outcome to screen out, and reasons always', () => {
    const issues = (input: Record<string, unknown>) => {
      const r = schema.safeParse({ version: '1', ...input });
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    assert.deepEqual(issues({ rosh: 'yes', rationale: 'x' }).sort(), ['groundsMet', 'priority']);
    assert.deepEqual(issues({ rosh: 'no', rationale: 'x' }), ['outcome']);
    assert.deepEqual(issues({ rosh: 'no', outcome: 'closed', rationale: '  ' }), ['rationale']);
    assert.deepEqual(issues({ rosh: 'maybe', rationale: 'x' }), ['rosh']);
  });
  it('keeps only what the decision needs: a screened-out decision carries no priority', () => {
    const r = schema.parse({ version: '3', rosh: 'no', outcome: 'closed', priority: 'within-24-hours', rationale: 'Nothing more to do.' });
    assert.deepEqual(r, { version: 3, decision: { groundsMet: [], riskOfSignificantHarm: false, priority: null, outcome: 'closed', rationale: 'Nothing more to do.' } });
  });
});
