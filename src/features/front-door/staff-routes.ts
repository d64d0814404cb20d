import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/access/actor.ts';
import { roleHasPermission } from '../../platform/access/roles.ts';
import { actorAsAuditWho } from '../../platform/audit/audit-log.ts';
import { z } from 'zod';
import { formErrorsFrom, singleError, validateForm, type FormErrors } from '../../platform/http/forms.ts';
import { notFound } from '../../platform/http/http-error.ts';
import { idParam } from '../../platform/http/params.ts';
import { actorOf } from '../../platform/http/route-access.ts';
import { isoDateIn, longDateTime } from '../../platform/time.ts';
import type { PersonIndexService } from '../person-index/service.ts';
import { candidateRows } from '../person-index/view-models.ts';
import type { PeopleService } from '../people/service.ts';
import { personDetailsSchema } from '../people/schemas.ts';
import { formAction, reshaped, tokenParam, type FrontDoorRouteDependencies } from './online-routes.ts';
import { gatherReport, keepFields, type ReportFields } from './report-form.ts';
import { screeningSchema, secondCheckSchema } from './screening-schemas.ts';
import { LIST_LIMIT, type ReportView } from './screening-service.ts';
import { newToken } from './tokens.ts';
import { listRows, officeName, reportFormModel, reportPage } from './view-models.ts';

const VIEWS = 'features/front-door/views';

interface StaffDependencies extends FrontDoorRouteDependencies {
  readonly people: PeopleService;
  readonly personIndex: PersonIndexService;
  readonly now: () => Date;
}

/**
 * The helpline's pages: the dashboard, a phone report recorded in the same form as an online one,
 * each child identified against the person index, screening and its second check, and the queues.
 */
export function registerFrontDoorStaffRoutes(app: FastifyInstance, deps: StaffDependencies): void {
  const { views, frontDoor, screening } = deps;
  const pack = frontDoor.pack;
  const tz = deps.timeZone;

  /** The report, read (and its view audited) only when a page shows it; a report not found is a 404. */
  const shown = async (actor: Actor, id: string) => {
    const report = await screening.view(actor, id);
    if (!report) throw notFound('report');
    return report;
  };

  app.get('/front-door', { config: { access: 'reports:read' } }, async (request, reply) => {
    const actor = actorOf(request);
    const dashboard = await screening.dashboard(actor);
    const now = deps.now();
    return views.render(request, reply, `${VIEWS}/dashboard.njk`, {
      pageTitle: 'Front door',
      dashboard,
      awaitingRows: listRows(dashboard.oldestAwaiting, pack, now, tz),
      moreAwaiting: dashboard.awaitingScreening - dashboard.oldestAwaiting.length,
      priorities: dashboard.screenedInByPriority.map((p) => ({ label: pack.priority(p.code)?.label ?? p.code, count: p.count })),
      outcomes: dashboard.screenedOutByOutcome.map((o) => ({ label: pack.outcome(o.code)?.label ?? o.code, count: o.count })),
      queues: dashboard.queues.map((q) => ({ code: q.officeCode ?? 'unrouted', name: officeName(pack, q.officeCode), count: q.count, overdue: q.overdue })),
      canRecord: roleHasPermission(actor.role, 'reports:record'),
    });
  });

  app.get('/front-door/awaiting', { config: { access: 'reports:read' } }, async (request, reply) => {
    const items = await screening.awaiting(actorOf(request));
    return views.render(request, reply, `${VIEWS}/list.njk`, { pageTitle: 'Reports waiting for a decision', rows: listRows(items, pack, deps.now(), tz), full: items.length >= LIST_LIMIT, backLink: '/front-door' });
  });

  app.get('/front-door/queues/:office', { config: { access: 'reports:read' } }, async (request, reply) => {
    const code = (request.params as Record<string, string>).office;
    const office = code === 'unrouted' ? null : pack.offices.find((o) => o.code === code);
    if (office === undefined) throw notFound('queue');
    const items = await screening.queue(actorOf(request), office?.code ?? null);
    return views.render(request, reply, `${VIEWS}/list.njk`, {
      pageTitle: officeName(pack, office?.code ?? null),
      hint: office ? `Screened-in reports for ${office.name}, soonest due first.` : pack.unroutedQueue.hint,
      rows: listRows(items, pack, deps.now(), tz),
      full: items.length >= LIST_LIMIT,
      showDue: true,
      backLink: '/front-door',
    });
  });

  // A phone report: the same form and the same checks as online; the draft belongs to the worker.
  const renderPhoneForm = (request: FastifyRequest, reply: FastifyReply, token: string, fields: ReportFields, errors?: FormErrors, savedAt?: Date) =>
    views.render(request, reply, `${VIEWS}/report-form.njk`, {
      pageTitle: 'Record a phone report',
      caption: 'Front door',
      public: false,
      action: `/front-door/drafts/${token}`,
      sendAction: `/front-door/drafts/${token}/send`,
      form: reportFormModel(pack, fields, errors),
      errors,
      savedAt,
      backLink: '/front-door',
    });

  app.get('/front-door/reports/new', { config: { access: 'reports:record' } }, async (_request, reply) => reply.redirect(`/front-door/drafts/${newToken()}`, 303));

  app.get('/front-door/drafts/:token', { config: { access: 'reports:record' } }, async (request, reply) => {
    const token = tokenParam(request);
    const actor = actorOf(request);
    const draft = await frontDoor.openDraft(actor.organisationId, token, 'phone', actor.userId);
    if (draft?.sentReference) return reply.redirect(`/front-door/reports?reference=${draft.sentReference}`, 303);
    return renderPhoneForm(request, reply, token, draft?.fields ?? { childCount: '1' }, undefined, draft?.savedAt);
  });

  const handlePhone = async (request: FastifyRequest, reply: FastifyReply, sending: boolean) => {
    const token = tokenParam(request);
    const actor = actorOf(request);
    const who = actorAsAuditWho(actor);
    const action = sending ? ({ kind: 'send' } as const) : formAction(request.body);
    const fields = reshaped(action, keepFields(request.body));
    // Another worker's draft, or an online one, is not found: the save checks both in its own statement.
    const saved = await frontDoor.saveDraft(who, token, 'phone', fields);
    if (saved.outcome === 'not_found') throw notFound();
    if (saved.outcome === 'sent') return action.kind === 'autosave' ? reply.code(409).send({ error: 'sent' }) : reply.redirect(`/front-door/reports?reference=${saved.reference}`, 303);
    if (action.kind === 'autosave') return reply.send({ savedAt: new Date().toISOString(), savedAtText: longDateTime(new Date(), tz) });
    if (action.kind !== 'send') return reply.redirect(`/front-door/drafts/${token}`, 303);
    const gathered = gatherReport(pack, 'phone', fields, frontDoor.today());
    if (!gathered.ok) return renderPhoneForm(request, reply.code(400), token, fields, gathered.errors);
    const outcome = await frontDoor.submit(who, { channel: 'phone', report: gathered.value, draftToken: token });
    if (outcome.outcome !== 'received') throw new Error('a phone report cannot reuse an idempotency key');
    return reply.redirect(`/front-door/reports/${outcome.reportId}?received=${outcome.repeated ? '0' : '1'}`, 303);
  };
  app.post('/front-door/drafts/:token', { config: { access: 'reports:record' } }, (request, reply) => handlePhone(request, reply, false));
  app.post('/front-door/drafts/:token/send', { config: { access: 'reports:record' } }, (request, reply) => handlePhone(request, reply, true));

  app.get('/front-door/reports', { config: { access: 'reports:read' } }, async (request, reply) => {
    const reference = (request.query as Record<string, unknown>).reference;
    const id = typeof reference === 'string' ? await screening.findByReference(actorOf(request), reference) : undefined;
    if (!id) throw notFound('report');
    return reply.redirect(`/front-door/reports/${id}`, 303);
  });

  const renderReport = (request: FastifyRequest, reply: FastifyReply, report: ReportView, extra: Record<string, unknown> = {}) => {
    const actor = actorOf(request);
    return views.render(request, reply, `${VIEWS}/report.njk`, {
      pageTitle: `Report ${report.reference}`,
      report,
      page: reportPage(report, pack, tz, deps.now()),
      received: (request.query as Record<string, unknown>).received === '1',
      canRecord: roleHasPermission(actor.role, 'reports:record'),
      canScreen: roleHasPermission(actor.role, 'reports:screen'),
      allIdentified: report.children.every((c) => c.personId !== null),
      backLink: '/front-door',
      ...extra,
    });
  };

  app.get('/front-door/reports/:id', { config: { access: 'reports:read' } }, async (request, reply) => {
    const report = await shown(actorOf(request), idParam(request, 'id'));
    return renderReport(request, reply, report);
  });

  // Identifying a child: the person-index search, run with what the report says about them.
  const childOf = (report: ReportView, request: FastifyRequest) => {
    const n = Number((request.params as Record<string, string>).position);
    const child = report.children.find((c) => c.position === n);
    if (!child) throw notFound('child');
    return child;
  };

  app.get('/front-door/reports/:id/children/:position', { config: { access: 'reports:record' } }, async (request, reply) => {
    const actor = actorOf(request);
    const report = await shown(actor, idParam(request, 'id'));
    const child = childOf(report, request);
    const query = request.query as Record<string, unknown>;
    const given = typeof query.given === 'string' ? query.given.slice(0, 100) : child.givenNames;
    const family = typeof query.family === 'string' ? query.family.slice(0, 100) : child.familyName;
    const today = isoDateIn(tz, deps.now());
    const outcome = await deps.personIndex.search(
      actorAsAuditWho(actor),
      {
        ...(given ? { given } : {}),
        ...(family ? { family } : {}),
        ...(child.dateOfBirth ? { dateOfBirth: { kind: 'exact' as const, date: child.dateOfBirth } } : child.ageYears !== null ? { dateOfBirth: { kind: 'age' as const, from: Math.max(0, child.ageYears - 1), to: child.ageYears + 1, today } } : {}),
        ...(child.suburb || child.postcode ? { address: { suburb: child.suburb, postcode: child.postcode } } : {}),
      },
      { limit: 10 },
    );
    return views.render(request, reply, `${VIEWS}/identify.njk`, {
      pageTitle: `Who is ${child.name}?`,
      report,
      child,
      given,
      family,
      results: candidateRows(outcome.candidates, today),
      action: `/front-door/reports/${report.id}/children/${child.position}`,
      backLink: `/front-door/reports/${report.id}`,
    });
  });

  app.post('/front-door/reports/:id/children/:position', { config: { access: 'reports:record' } }, async (request, reply) => {
    const actor = actorOf(request);
    const report = await shown(actor, idParam(request, 'id'));
    const child = childOf(report, request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const refuse = (message: string) => renderReport(request, reply.code(400), report, { errors: singleError(`child-${child.position}`, message) });
    if (report.status !== 'awaiting_screening') return refuse('The children of a report can be changed only while it awaits screening');
    const chosen = z.union([z.uuid(), z.literal('new')]).safeParse(body.personId);
    if (!chosen.success) return refuse('Choose a person from the list, or add a new one');
    let personId = chosen.data;
    // A second press of "Add as a new person" finds the child already linked, and adds no one.
    if (personId === 'new' && child.personId) return reply.redirect(`/front-door/reports/${report.id}#child-${child.position}`, 303);
    if (personId === 'new') {
      const details = personDetailsSchema.safeParse({ givenNames: child.givenNames, familyName: child.familyName, dateOfBirth: child.dateOfBirth });
      if (!details.success) throw notFound('child');
      const person = await deps.people.create(actor, details.data);
      if (child.street && child.suburb) {
        await deps.people.addAddress(actor, person.id, { line1: child.street, line2: null, suburb: child.suburb, state: null, postcode: child.postcode, country: null, livedFrom: null, livedUntil: null }, false);
      }
      personId = person.id;
    }
    const outcome = await screening.linkChild(actor, report.id, child.position, personId);
    if (outcome === 'not_found') throw notFound('report');
    if (outcome === 'decided') return refuse('The children of a report can be changed only while it awaits screening');
    if (outcome === 'no_person') return refuse('Choose a person from the list, or add a new one');
    return reply.redirect(`/front-door/reports/${report.id}#child-${child.position}`, 303);
  });

  // Screening.
  const screenPage = (request: FastifyRequest, reply: FastifyReply, report: ReportView, values: Record<string, unknown>, errors?: FormErrors) => {
    const ticked = new Set(Array.isArray(values.groundsMet) ? (values.groundsMet as string[]) : []);
    return views.render(request, reply, `${VIEWS}/screen.njk`, {
      pageTitle: `Screen report ${report.reference}`,
      report,
      page: reportPage(report, pack, tz, deps.now()),
      values,
      errors,
      groundItems: pack.grounds.map((g) => ({ value: g.code, text: `${g.title} (${g.section})`, hint: { text: g.description }, checked: ticked.has(g.code) })),
      priorityItems: pack.responsePriorities.map((p) => ({ value: p.code, text: p.label, hint: p.hint ? { text: p.hint } : undefined, checked: values.priority === p.code })),
      outcomeItems: pack.screening.screenedOutOutcomes.map((o) => ({ value: o.code, text: o.label, hint: o.hint ? { text: o.hint } : undefined, checked: values.outcome === o.code })),
      roshHint: pack.screening.roshQuestion,
      roshYes: values.rosh === 'yes',
      roshNo: values.rosh === 'no',
      action: `/front-door/reports/${report.id}/screen`,
      backLink: `/front-door/reports/${report.id}`,
    });
  };

  app.get('/front-door/reports/:id/screen', { config: { access: 'reports:screen' } }, async (request, reply) => {
    const report = await shown(actorOf(request), idParam(request, 'id'));
    if (report.status !== 'awaiting_screening') return reply.redirect(`/front-door/reports/${report.id}`, 303);
    return screenPage(request, reply, report, { version: String(report.version) });
  });

  app.post('/front-door/reports/:id/screen', { config: { access: 'reports:screen' } }, async (request, reply) => {
    const actor = actorOf(request);
    const id = idParam(request, 'id');
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const values = { ...raw, groundsMet: raw.groundsMet === undefined ? [] : Array.isArray(raw.groundsMet) ? raw.groundsMet : [raw.groundsMet] };
    // Parsed directly: the grounds are a list, which the single-value form reader would cut to one.
    const form = screeningSchema(pack).safeParse({ ...values, version: typeof raw.version === 'string' ? raw.version : undefined });
    if (!form.success) {
      // A version the page did not send (a tampered form) is reported at the first question, which can take focus.
      const errors = formErrorsFrom(form.error.issues);
      return screenPage(request, reply.code(400), await shown(actor, id), values, { ...errors, summary: errors.summary.map((item) => (item.href === '#version' ? { ...item, href: '#rosh' } : item)) });
    }
    const outcome = await screening.screen(actor, id, form.data.version, form.data.decision);
    if (outcome === 'not_found') throw notFound('report');
    const problem: Partial<Record<typeof outcome, string>> = {
      stale: 'Someone changed this report while you were deciding: check it again',
      already_decided: 'This report has already been decided',
      children_not_identified: 'Identify each child against the person index before screening: their history decides whether a second check is needed',
    };
    const message = problem[outcome];
    if (message) return screenPage(request, reply.code(409), await shown(actor, id), values, singleError('rosh', message, 'rosh'));
    return reply.redirect(`/front-door/reports/${id}?screened=${outcome}`, 303);
  });

  const checkPage = (request: FastifyRequest, reply: FastifyReply, report: ReportView, values: Record<string, unknown>, errors?: FormErrors) => {
    const page = reportPage(report, pack, tz, deps.now());
    return views.render(request, reply, `${VIEWS}/second-check.njk`, {
      pageTitle: `Second check of report ${report.reference}`,
      report,
      page,
      proposal: page.screenings.at(-1),
      values,
      errors,
      action: `/front-door/reports/${report.id}/second-check`,
      backLink: `/front-door/reports/${report.id}`,
    });
  };

  app.get('/front-door/reports/:id/second-check', { config: { access: 'reports:screen' } }, async (request, reply) => {
    const report = await shown(actorOf(request), idParam(request, 'id'));
    if (report.status !== 'awaiting_second_check') return reply.redirect(`/front-door/reports/${report.id}`, 303);
    return checkPage(request, reply, report, {});
  });

  app.post('/front-door/reports/:id/second-check', { config: { access: 'reports:screen' } }, async (request, reply) => {
    const actor = actorOf(request);
    const id = idParam(request, 'id');
    const values = (request.body ?? {}) as Record<string, unknown>;
    const form = validateForm(secondCheckSchema, values);
    if (!form.ok) return checkPage(request, reply.code(400), await shown(actor, id), values, form.errors);
    const outcome = await screening.secondCheck(actor, id, form.value.agree === 'yes', form.value.note);
    if (outcome === 'not_found') throw notFound('report');
    if (outcome === 'same_worker') return checkPage(request, reply.code(409), await shown(actor, id), values, singleError('agree', 'A second check must be made by another worker, not the one who proposed it'));
    if (outcome === 'not_awaiting') return reply.redirect(`/front-door/reports/${id}`, 303);
    return reply.redirect(`/front-door/reports/${id}?checked=${outcome}`, 303);
  });
}
