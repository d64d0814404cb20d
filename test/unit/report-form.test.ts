import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { childCount, fieldsOf, gatherReport, keepFields, withChildAdded, withChildRemoved } from '../../src/features/front-door/report-form.ts';
import { MAX_CHILDREN } from '../../src/features/front-door/report.ts';
import { practicePack } from '../../src/practice/pack.ts';
import { agencyReport, reportFields } from '../support/reports.ts';

const pack = practicePack('nsw');
const TODAY = '2026-11-27';

describe("the report form's fields", () => {
  it('gathers a whole report into its JSON shape', () => {
    const result = gatherReport(pack, 'online', reportFields(), TODAY);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.equal(result.value.children.length, 2);
    // The same first child as an agency's JSON report: the form and the API carry one shape.
    assert.deepEqual(result.value.children[0], (agencyReport().children as unknown[])[0]);
    assert.equal(result.value.children[1]!.ageYears, 4);
    assert.equal(result.value.safeNow, 'not_known');
    assert.equal(result.value.peopleOfConcern, null, 'an empty answer is no answer');
    assert.equal(result.value.reporter.email, 'jo.example@school.example');
  });

  it('names each problem at the box to fix, in the order of the page', () => {
    const result = gatherReport(pack, 'online', reportFields({ 'child2-ageYears': 'four', 'child1-givenNames': '', 'child1-familyName': '', safeNow: '', 'reporter-name': '', 'reporter-email': '' }), TODAY);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.errors.summary.map((e) => e.href),
      ['#child1-givenNames', '#child2-ageYears', '#safeNow', '#reporter-name', '#reporter-email'],
    );
    assert.match(result.errors.fields['reporter-email']!.text, /email address or a phone number/);
  });

  it('refuses children who are not children, dates that are not dates, and grounds the pack does not have', () => {
    const born = (year: string, month = '1', day = '1') => ({ 'child1-dateOfBirth-day': day, 'child1-dateOfBirth-month': month, 'child1-dateOfBirth-year': year });
    const problem = (overrides: Record<string, string | string[]>) => {
      const result = gatherReport(pack, 'online', reportFields(overrides), TODAY);
      return result.ok ? 'accepted' : result.errors.summary[0]!.text;
    };
    assert.match(problem(born('1066')), /within the last 18 years/);
    assert.match(problem(born('2027')), /today or in the past/);
    assert.match(problem(born('2023', '2', '30')), /real date/);
    assert.match(problem({ 'child2-ageYears': '18' }), /17 or less/);
    assert.match(problem({ 'child1-concerns': ['witchcraft'] }), /Select the concerns from the list/);
    assert.match(problem({ 'child1-givenNames': 'a'.repeat(101) }), /100 characters or fewer/);
    assert.match(problem({ whatHappened: 'ok\u0007' }), /characters Hearth cannot store/);
  });

  it('lets a phone report leave out who called', () => {
    const fields = reportFields({ 'reporter-name': '', 'reporter-role': '', 'reporter-email': '' });
    assert.ok(!gatherReport(pack, 'online', fields, TODAY).ok);
    assert.ok(gatherReport(pack, 'phone', fields, TODAY).ok);
  });

  it('keeps only its own fields, as typed, within limits', () => {
    const kept = keepFields({ ...reportFields(), evil: 'x', 'child3-givenNames': 'beyond the count', 'child1-concerns': 'basic-needs', whatHappened: 'y'.repeat(50_000) });
    assert.equal(kept.evil, undefined);
    assert.equal(kept['child3-givenNames'], undefined);
    assert.deepEqual(kept['child1-concerns'], ['basic-needs'], 'one ticked box is a list of one');
    assert.equal((kept.whatHappened as string).length, 20_000);
  });

  it('adds a child up to the limit, and removes one moving the rest up', () => {
    let fields = keepFields(reportFields());
    fields = withChildAdded(fields);
    assert.equal(childCount(fields), 3);
    for (let i = 0; i < 20; i += 1) fields = withChildAdded(fields);
    assert.equal(childCount(fields), MAX_CHILDREN);
    const removed = withChildRemoved(keepFields(reportFields()), 1);
    assert.equal(childCount(removed), 1);
    assert.equal(removed['child1-givenNames'], 'Leo');
    assert.equal(withChildRemoved(removed, 1)['child1-givenNames'], 'Leo', 'the last child stays');
  });

  it('turns any valid report back into fields that gather to the same report (property)', () => {
    const base = gatherReport(pack, 'online', reportFields(), TODAY);
    assert.ok(base.ok);
    fc.assert(
      fc.property(
        fc.subarray(pack.grounds.map((g) => g.code), { minLength: 1 }),
        fc.option(fc.integer({ min: 0, max: 17 }), { nil: null }),
        fc.constantFrom('yes', 'no', 'not_known'),
        (concerns, age, safeNow) => {
          const report = { ...base.value, safeNow: safeNow as 'yes', children: [{ ...base.value.children[0]!, concerns, dateOfBirth: age === null ? '2017-03-14' : null, ageYears: age }] };
          const again = gatherReport(pack, 'online', fieldsOf(report), TODAY);
          assert.ok(again.ok);
          assert.deepEqual(again.value, report);
        },
      ),
    );
  });
});
