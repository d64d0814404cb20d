import type { ReporterGuide } from '../../practice/pack.ts';

/**
 * The reporter's guide, pure: which question comes next, and what to recommend. The questions,
 * options and outcomes are the practice pack's; answers are option codes, carried from page to page
 * in the address (they say nothing about who anyone is), so the guide needs no account and no session.
 */
export type GuideAnswers = Readonly<Record<string, string>>;

export type GuideQuestion = ReporterGuide['questions'][number];
export type GuideOutcome = ReporterGuide['outcomes'][number];

/** The first page's question is always the same: a child in immediate danger stops the guide. */
export const DANGER = 'danger';

/** What a step's page asks: the immediate-danger question (yes or no) or one of the guide's questions. */
export interface GuidePage {
  readonly code: string;
  readonly text: string;
  readonly hint: string | undefined;
  readonly error: string;
  readonly options: readonly { readonly code: string; readonly label: string }[];
  /** Short answers (yes, no) side by side. */
  readonly inline: boolean;
}

/** The page for a step, or undefined when the guide has no such step. */
export function guidePage(guide: ReporterGuide, step: string): GuidePage | undefined {
  if (step === DANGER) {
    const danger = guide.immediateDanger;
    const options = [
      { code: 'yes', label: 'Yes' },
      { code: 'no', label: 'No' },
    ];
    return { code: DANGER, text: danger.question, hint: danger.hint, error: danger.error, options, inline: true };
  }
  const question = guide.questions.find((q) => q.code === step);
  return question && { code: question.code, text: question.text, hint: question.hint, error: question.error, options: question.options, inline: false };
}

/**
 * The valid answers among those given, in question order, up to the first missing or invalid one.
 * `except` names a question being answered again: it is left out without ending the list.
 */
export function validAnswers(guide: ReporterGuide, given: Readonly<Record<string, unknown>>, except?: string): Record<string, string> {
  const answers: Record<string, string> = {};
  if (given[DANGER] !== 'no') return answers;
  answers[DANGER] = 'no';
  for (const question of guide.questions) {
    if (question.code === except) continue;
    const answer = given[question.code];
    if (typeof answer !== 'string' || !question.options.some((o) => o.code === answer)) break;
    answers[question.code] = answer;
  }
  return answers;
}

/** The step to show next: the immediate-danger question, a question of the guide, or the recommendation. */
export function nextStep(guide: ReporterGuide, answers: GuideAnswers): string {
  if (answers[DANGER] !== 'no') return DANGER;
  return guide.questions.find((q) => answers[q.code] === undefined)?.code ?? 'recommendation';
}

/** The steps before this one, whose answers the page carries on. */
export function stepsBefore(guide: ReporterGuide, step: string): string[] {
  const steps = [DANGER, ...guide.questions.map((q) => q.code)];
  const at = steps.indexOf(step);
  return at < 0 ? steps : steps.slice(0, at);
}

export interface Recommendation {
  readonly outcome: GuideOutcome;
  /** What the reporter said, question by question, and which answers led to this outcome. */
  readonly answers: readonly { readonly question: GuideQuestion; readonly label: string; readonly decisive: boolean }[];
}

/**
 * The most urgent outcome any answer points to (the pack lists outcomes most urgent first): one
 * answer that calls for a report is enough, whatever the others say. Null until every question is answered.
 */
export function recommend(guide: ReporterGuide, answers: GuideAnswers): Recommendation | null {
  if (nextStep(guide, answers) !== 'recommendation') return null;
  const chosen = guide.questions.map((question) => {
    const option = question.options.find((o) => o.code === answers[question.code])!;
    return { question, option };
  });
  const urgency = (code: string) => guide.outcomes.findIndex((o) => o.code === code);
  const mostUrgent = Math.min(...chosen.map(({ option }) => urgency(option.outcome)));
  const outcome = guide.outcomes[mostUrgent]!;
  return {
    outcome,
    answers: chosen.map(({ question, option }) => ({ question, label: option.label, decisive: option.outcome === outcome.code })),
  };
}

/** The address of a step with the answers so far. */
export function stepHref(step: string, answers: GuideAnswers): string {
  const query = new URLSearchParams(Object.entries(answers)).toString();
  return `/report/guide/${step}${query ? `?${query}` : ''}`;
}
