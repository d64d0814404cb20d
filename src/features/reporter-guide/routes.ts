import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../platform/http/http-error.ts';
import { singleError, type FormErrors } from '../../platform/http/forms.ts';
import type { Views } from '../../platform/views/views.ts';
import type { PracticePack } from '../../practice/pack.ts';
import { DANGER, nextStep, recommend, stepHref, stepsBefore, validAnswers, type GuideAnswers } from './guide.ts';

const VIEWS = 'features/reporter-guide/views';

/**
 * The reporter's guide: public pages, no account. One question a page (GOV.UK question pages), each
 * answered by a form that posts, then redirects to the next page with the answers so far in its
 * address; a page reached without the answers before it sends the reporter back to the first missing one.
 */
export function registerReporterGuideRoutes(app: FastifyInstance, deps: { readonly views: Views; readonly pack: PracticePack }): void {
  const guide = deps.pack.reporterGuide;
  const helpline = deps.pack.helpline;
  const steps = new Set([DANGER, ...guide.questions.map((q) => q.code)]);

  /** Every answer but this step's travels with the page, so changing one answer keeps the rest. */
  const render = (request: FastifyRequest, reply: FastifyReply, step: string, answers: GuideAnswers, errors?: FormErrors) => {
    const earlier = stepsBefore(guide, step);
    const carried = Object.entries(answers).filter(([code]) => code !== step).map(([name, value]) => ({ name, value }));
    // Changing an answer from the recommendation: Back returns there, as it does on GOV.UK's check-answers pattern.
    const complete = nextStep(guide, answers) === 'recommendation';
    const back = complete ? stepHref('recommendation', answers) : earlier.length === 0 ? '/report' : stepHref(earlier[earlier.length - 1]!, answers);
    if (step === DANGER) {
      const danger = guide.immediateDanger;
      return deps.views.render(request, reply, `${VIEWS}/question.njk`, {
        pageTitle: danger.question,
        backLink: back,
        action: `/report/guide/${DANGER}`,
        question: { text: danger.question, hint: danger.hint },
        items: [{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }].map((item) => ({ ...item, checked: answers[DANGER] === item.value })),
        inline: true,
        carried,
        errors,
      });
    }
    const question = guide.questions.find((q) => q.code === step)!;
    return deps.views.render(request, reply, `${VIEWS}/question.njk`, {
      pageTitle: question.text,
      backLink: back,
      action: `/report/guide/${step}`,
      question: { text: question.text, hint: question.hint },
      items: question.options.map((o) => ({ value: o.code, text: o.label, checked: answers[step] === o.code })),
      inline: false,
      carried,
      errors,
    });
  };

  app.get('/report', { config: { access: 'public' } }, async (request, reply) =>
    deps.views.render(request, reply, `${VIEWS}/start.njk`, { pageTitle: 'Report a concern about a child', helpline }),
  );

  app.get('/report/guide/call-000', { config: { access: 'public' } }, async (request, reply) =>
    deps.views.render(request, reply, `${VIEWS}/call-emergency.njk`, { pageTitle: guide.immediateDanger.stopTitle, danger: guide.immediateDanger, helpline }),
  );

  app.get('/report/guide/recommendation', { config: { access: 'public' } }, async (request, reply) => {
    const answers = validAnswers(guide, (request.query ?? {}) as Record<string, unknown>);
    const recommendation = recommend(guide, answers);
    if (!recommendation) return reply.redirect(stepHref(nextStep(guide, answers), answers), 303);
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

  /** Back to the first question not answered, with the answers before it. */
  const toFirstMissing = (reply: FastifyReply, answers: GuideAnswers) => reply.redirect(stepHref(nextStep(guide, answers), answers), 303);

  app.get<{ Params: { step: string } }>('/report/guide/:step', { config: { access: 'public' } }, async (request, reply) => {
    const { step } = request.params;
    if (!steps.has(step)) throw notFound();
    const answers = validAnswers(guide, (request.query ?? {}) as Record<string, unknown>);
    if (stepsBefore(guide, step).some((code) => answers[code] === undefined)) return toFirstMissing(reply, answers);
    return render(request, reply, step, answers);
  });

  app.post<{ Params: { step: string } }>('/report/guide/:step', { config: { access: 'public', changesNothing: true } }, async (request, reply) => {
    const { step } = request.params;
    if (!steps.has(step)) throw notFound();
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { answer, ...given } = body;
    const answers = validAnswers(guide, given);
    if (stepsBefore(guide, step).some((code) => answers[code] === undefined)) return toFirstMissing(reply, answers);
    if (step === DANGER && answer === 'yes') return reply.redirect('/report/guide/call-000', 303);
    const question = guide.questions.find((q) => q.code === step);
    const allowed = question ? question.options.map((o) => o.code) : ['no'];
    if (typeof answer !== 'string' || !allowed.includes(answer)) {
      const message = question ? question.error : guide.immediateDanger.error;
      return render(request, reply.code(400), step, validAnswers(guide, given, step), singleError('answer', message));
    }
    const next = validAnswers(guide, { ...given, [step]: answer });
    return reply.redirect(stepHref(nextStep(guide, next), next), 303);
  });
}
