import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DANGER, nextStep, recommend, stepHref, validAnswers } from '../../src/features/reporter-guide/guide.ts';
import { practicePack } from '../../src/practice/pack.ts';

const guide = practicePack('nsw').reporterGuide;
const answered = (concern: string, harm: string, protection: string, vulnerability: string) => ({ [DANGER]: 'no', concern, harm, protection, vulnerability });

describe("the reporter's guide", () => {
  it('asks about immediate danger first, then each question in turn, then recommends', () => {
    assert.equal(nextStep(guide, {}), DANGER);
    assert.equal(nextStep(guide, { [DANGER]: 'no' }), 'concern');
    assert.equal(nextStep(guide, { [DANGER]: 'no', concern: 'basic-needs' }), 'harm');
    assert.equal(nextStep(guide, answered('basic-needs', 'minor', 'yes', 'no')), 'recommendation');
  });

  it('recommends a report for sexual abuse whatever else was said, and says which answer decided it', () => {
    const recommendation = recommend(guide, answered('sexual-abuse', 'minor', 'yes', 'no'))!;
    assert.equal(recommendation.outcome.code, 'report-now');
    assert.deepEqual(recommendation.answers.filter((a) => a.decisive).map((a) => a.question.code), ['concern']);
  });

  it('recommends family support for a struggling family who might accept help, and monitoring when it is minor and handled', () => {
    assert.equal(recommend(guide, answered('basic-needs', 'struggling', 'with-help', 'no'))!.outcome.code, 'refer-family-support');
    assert.equal(recommend(guide, answered('general-wellbeing', 'minor', 'yes', 'no'))!.outcome.code, 'document-and-monitor');
    assert.equal(recommend(guide, answered('education', 'unsure', 'yes', 'no'))!.outcome.code, 'consult-wellbeing-unit');
    assert.equal(recommend(guide, answered('basic-needs', 'pattern', 'with-help', 'yes'))!.outcome.code, 'report-now', 'a pattern that keeps happening is reported');
    assert.equal(recommend(guide, answered('basic-needs', 'minor', 'cannot', 'no'))!.outcome.code, 'report-now', 'a parent who cannot protect');
  });

  it('recommends nothing until every question is answered', () => {
    assert.equal(recommend(guide, { [DANGER]: 'no', concern: 'basic-needs' }), null);
  });

  it('keeps only valid answers, in order, up to the first missing or unknown one', () => {
    assert.deepEqual(validAnswers(guide, { [DANGER]: 'yes', concern: 'basic-needs' }), {});
    assert.deepEqual(validAnswers(guide, { [DANGER]: 'no', concern: 'basic-needs', harm: '<script>', protection: 'yes' }), { [DANGER]: 'no', concern: 'basic-needs' });
    assert.deepEqual(validAnswers(guide, { [DANGER]: 'no', concern: ['basic-needs', 'education'] }), { [DANGER]: 'no' });
    assert.deepEqual(validAnswers(guide, { [DANGER]: 'no', concern: 'x', harm: 'minor' }, 'concern'), { [DANGER]: 'no', harm: 'minor' }, 'the question being answered again is skipped');
  });

  it('always reaches a recommendation that is one of the outcomes its answers point to, the most urgent', () => {
    const option = (i: number) => fc.constantFrom(...guide.questions[i]!.options.map((o) => o.code));
    fc.assert(
      fc.property(option(0), option(1), option(2), option(3), (a, b, c, d) => {
        const answers = answered(a, b, c, d);
        const recommendation = recommend(guide, answers)!;
        const pointed = guide.questions.map((q) => q.options.find((o) => o.code === answers[q.code as keyof typeof answers])!.outcome);
        const rank = (code: string) => guide.outcomes.findIndex((o) => o.code === code);
        assert.equal(rank(recommendation.outcome.code), Math.min(...pointed.map(rank)));
        assert.ok(recommendation.answers.some((x) => x.decisive));
      }),
    );
  });

  it('writes a step address with the answers so far', () => {
    assert.equal(stepHref('harm', { [DANGER]: 'no', concern: 'basic-needs' }), '/report/guide/harm?danger=no&concern=basic-needs');
    assert.equal(stepHref(DANGER, {}), '/report/guide/danger');
  });
});
