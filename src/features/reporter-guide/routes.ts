import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../platform/http/http-error.ts';
import { singleError, type FormErrors } from '../../platform/http/forms.ts';
import type { Views } from '../../platform/views/views.ts';
import type { PracticePack } from '../../practice/pack.ts';
import { DANGER, guidePage, nextStep, recommend, stepHref, stepsBefore, validAnswers, type GuideAnswers, type GuidePage } from './guide.ts';

const VIEWS = 'features/reporter-guide/views';

/**
 * The reporter's guide: public pages, no account. One question a page (GOV.UK question pages), each
 * answered by a form that posts, then redirects to the next page with the answers so far in its
 * address; a page reached without the answers before it sends the reporter back to the first missing one.
 */
export function registerReporterGuideRoutes(app: FastifyInstance, deps: { readonly views: Views; readonly pack: PracticePack }): void {
  const guide = deps.pack.reporterGuide;
  const helpline = deps.pack.helpline;

  /** Every answer but this page's travels with it, so changing one answer keeps the rest. */
  const render = (request: FastifyRequest, reply: FastifyReply, page: GuidePage, answers: GuideAnswers, errors?: FormErrors) => {
    const earlier = stepsBefore(guide, page.code);
    // Changing an answer from the recommendation: Back returns there, as on GOV.UK's check-answers pattern.
    const complete = nextStep(guide, answers) === 'recommendation';
    const back = complete ? stepHref('recommendation', answers) : earlier.length === 0 ? '/report' : stepHref(earlier[earlier.length - 1]!, answers);
    return deps.views.render(request, reply, `${VIEWS}/question.njk`, {
      pageTitle: page.text,
      backLink: back,
      action: `/report/guide/${page.code}`,
      question: { text: page.text, hint: page.hint },
      items: page.options.map((o) => ({ value: o.code, text: o.label, checked: answers[page.code] === o.code })),
      inline: page.inline,
      carried: Object.entries(answers)
        .filter(([code]) => code !== page.code)
        .map(([name, value]) => ({ name, value })),
      errors,
    });
  };

  /** On to the first question not answered, with the answers before it. */
  const toNextStep = (reply: FastifyReply, answers: GuideAnswers) => reply.redirect(stepHref(nextStep(guide, answers), answers), 303);

  app.get('/report', { config: { access: 'public' } }, async (request, reply) =>
    deps.views.render(request, reply, `${VIEWS}/start.njk`, { pageTitle: 'Report a concern about a child', helpline }),
  );

  app.get('/report/guide/call-000', { config: { access: 'public' } }, async (request, reply) =>
    deps.views.render(request, reply, `${VIEWS}/call-emergency.njk`, { pageTitle: guide.immediateDanger.stopTitle, danger: guide.immediateDanger, helpline }),
  );

  app.get('/report/guide/recommendation', { config: { access: 'public' } }, async (request, reply) => {
    const answers = validAnswers(guide, (request.query ?? {}) as Record<string, unknown>);
    const recommendation = recommend(guide, answers);
    if (!recommendation) return toNextStep(reply, answers);
    return deps.views.render(request, reply, `${VIEWS}/recommendation.njk`, {
      pageTitle: recommendation.outcome.title,
      recommendation,
      isReport: recommendation.outcome.code === guide.outcomes[0]!.code,
      helpline,
      answerRows: recommendation.answers.map(({ question, label, decisive }) => ({
        key: { text: question.text },
        value: { text: decisive ? `${label} (this led to the recommendation)` : label },
        actions: { items: [{ href: stepHref(question.code, answers), text: 'Change', visuallyHiddenText: question.text.toLowerCase() }] },
      })),
      backLink: stepHref(guide.questions[guide.questions.length - 1]!.code, answers),
    });
  });

  app.get<{ Params: { step: string } }>('/report/guide/:step', { config: { access: 'public' } }, async (request, reply) => {
    const page = guidePage(guide, request.params.step);
    if (!page) throw notFound();
    const answers = validAnswers(guide, (request.query ?? {}) as Record<string, unknown>);
    if (stepsBefore(guide, page.code).some((code) => answers[code] === undefined)) return toNextStep(reply, answers);
    return render(request, reply, page, answers);
  });

  app.post<{ Params: { step: string } }>('/report/guide/:step', { config: { access: 'public', changesNothing: true } }, async (request, reply) => {
    const page = guidePage(guide, request.params.step);
    if (!page) throw notFound();
    const { answer, ...given } = (request.body ?? {}) as Record<string, unknown>;
    const answers = validAnswers(guide, given);
    if (stepsBefore(guide, page.code).some((code) => answers[code] === undefined)) return toNextStep(reply, answers);
    if (typeof answer !== 'string' || !page.options.some((o) => o.code === answer)) {
      return render(request, reply.code(400), page, validAnswers(guide, given, page.code), singleError('answer', page.error));
    }
    if (page.code === DANGER && answer === 'yes') return reply.redirect('/report/guide/call-000', 303);
    return toNextStep(reply, validAnswers(guide, { ...given, [page.code]: answer }));
  });
}
