import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../platform/http/http-error.ts';
import { singleError, type FormErrors } from '../../platform/http/forms.ts';
import { WindowLimit } from '../../platform/http/window-limit.ts';
import type { Views } from '../../platform/views/views.ts';
import { longDateTime } from '../../platform/time.ts';
import { gatherReport, keepFields, withChildAdded, withChildRemoved, type ReportFields } from './report-form.ts';
import type { FrontDoorService } from './service.ts';
import type { ScreeningService } from './screening-service.ts';
import { newToken, statusTokenFor, TOKEN_PATTERN } from './tokens.ts';
import { reportFormModel } from './view-models.ts';

const VIEWS = 'features/front-door/views';

export interface FrontDoorRouteDependencies {
  readonly views: Views;
  readonly frontDoor: FrontDoorService;
  readonly screening: ScreeningService;
  readonly timeZone: string;
  /** Saves a draft: per address, per minute. Sends: per address, per hour. */
  readonly limits: { readonly savesPerMinute: number; readonly sendsPerHour: number };
}

/**
 * Where links shown on a page point: Hearth's configured public address, else the address the browser
 * used (shown only to that browser, so a forged Host header fools no one else). Emails use only the
 * configured one.
 */
export function linkBase(request: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ?? `${request.protocol}://${request.host}`;
}

/** The private link's token from the address: anything that is not one is a 404. */
export function tokenParam(request: FastifyRequest): string {
  const token = (request.params as Record<string, unknown>).token;
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) throw notFound();
  return token;
}

/** Which button was pressed: save, send, add or remove a child, or the page's own autosave. */
export type FormAction = { kind: 'save' } | { kind: 'autosave' } | { kind: 'send' } | { kind: 'add-child' } | { kind: 'remove-child'; n: number };

export function formAction(body: unknown): FormAction {
  const action = body && typeof body === 'object' ? (body as Record<string, unknown>).action : undefined;
  const first = Array.isArray(action) ? (action as unknown[])[0] : action;
  if (first === 'send' || first === 'autosave' || first === 'add-child') return { kind: first };
  const remove = typeof first === 'string' ? /^remove-child-(\d{1,2})$/.exec(first) : null;
  if (remove) return { kind: 'remove-child', n: Number(remove[1]) };
  return { kind: 'save' };
}

/** After a button that changes the form's shape, the fields as they should now be. */
export function reshaped(action: FormAction, fields: ReportFields): Record<string, string | string[]> {
  if (action.kind === 'add-child') return withChildAdded(fields);
  if (action.kind === 'remove-child') return withChildRemoved(fields, action.n);
  return { ...fields } as Record<string, string | string[]>;
}

/**
 * The online report (no account): a draft at a private address, saved on every button and every
 * 15 seconds with JavaScript; sent, it becomes a report with a reference and a private status link.
 */
export function registerOnlineReportRoutes(app: FastifyInstance, deps: FrontDoorRouteDependencies): void {
  const { views, frontDoor } = deps;
  const pack = frontDoor.pack;
  const sends = new WindowLimit(deps.limits.sendsPerHour, 60 * 60_000);
  const publicWho = (organisationId: string, request: FastifyRequest) => ({ organisationId, requestId: request.id, userId: null, role: 'public' });

  const organisationOr503 = async (request: FastifyRequest, reply: FastifyReply) => {
    const organisationId = await frontDoor.frontDoorOrganisation();
    if (!organisationId) {
      await views.render(request, reply.code(503), `${VIEWS}/closed.njk`, { pageTitle: 'Online reports are not open yet', helpline: pack.helpline });
      return undefined;
    }
    return organisationId;
  };

  const renderForm = (request: FastifyRequest, reply: FastifyReply, token: string, fields: ReportFields, extra: { errors?: FormErrors; savedLink?: string; savedAt?: Date }) =>
    views.render(request, reply, `${VIEWS}/report-form.njk`, {
      pageTitle: 'Report a concern about a child',
      caption: pack.helpline.name,
      public: true,
      helpline: pack.helpline,
      action: `/report/draft/${token}`,
      sendAction: `/report/draft/${token}/send`,
      form: reportFormModel(pack, fields, extra.errors),
      errors: extra.errors,
      savedLink: extra.savedLink,
      savedAt: extra.savedAt,
      backLink: '/report',
    });

  const renderSent = (request: FastifyRequest, reply: FastifyReply, reference: string) =>
    views.render(request, reply, `${VIEWS}/draft-sent.njk`, { pageTitle: 'This report has been sent', reference, helpline: pack.helpline });

  app.get('/report/online', { config: { access: 'public' } }, async (_request, reply) => reply.redirect(`/report/draft/${newToken()}`, 303));

  app.get('/report/draft/:token', { config: { access: 'public' } }, async (request, reply) => {
    const token = tokenParam(request);
    const organisationId = await organisationOr503(request, reply);
    if (!organisationId) return reply;
    const draft = await frontDoor.openDraft(organisationId, token, 'online', null);
    if (draft?.sentReference) return renderSent(request, reply, draft.sentReference);
    const saved = (request.query as Record<string, unknown>).saved === '1' && draft;
    return renderForm(request, reply, token, draft?.fields ?? { childCount: '1' }, {
      ...(saved ? { savedLink: `${linkBase(request, frontDoor.publicUrl)}/report/draft/${token}` } : {}),
      ...(draft ? { savedAt: draft.savedAt } : {}),
    });
  });

  const handle = async (request: FastifyRequest, reply: FastifyReply, sending: boolean) => {
    const token = tokenParam(request);
    const organisationId = await organisationOr503(request, reply);
    if (!organisationId) return reply;
    const who = publicWho(organisationId, request);
    const action = sending ? ({ kind: 'send' } as const) : formAction(request.body);
    const fields = reshaped(action, keepFields(request.body));
    const saved = await frontDoor.saveDraft(who, token, 'online', fields);
    if (saved.outcome === 'not_found') throw notFound();
    if (saved.outcome === 'sent') {
      // Sent already (a second press of Send, a retry, an old tab): the report stands as it was sent.
      if (action.kind === 'send') return reply.redirect(`/report/status/${statusTokenFor(token)}?sent=1`, 303);
      if (action.kind === 'autosave') return reply.code(409).send({ error: 'sent', message: 'This report has already been sent' });
      return renderSent(request, reply, saved.reference);
    }
    if (action.kind === 'autosave') return reply.send({ savedAt: new Date().toISOString(), savedAtText: longDateTime(new Date(), deps.timeZone) });
    if (action.kind === 'add-child') return reply.redirect(`/report/draft/${token}#child${String(fields.childCount)}-givenNames`, 303);
    if (action.kind === 'remove-child') return reply.redirect(`/report/draft/${token}`, 303);
    if (action.kind === 'save') return reply.redirect(`/report/draft/${token}?saved=1`, 303);
    // The flood limit is applied once the draft is kept: a refused send loses nothing typed.
    if (!sends.take(request.ip)) {
      const message = `Your report is saved, but not sent: many reports have been sent from this address in the last hour. Try again in ${sends.minutesLeft(request.ip)} minutes, or call the ${pack.helpline.name} on ${pack.helpline.phone}.`;
      return renderForm(request, reply.code(429), token, fields, { errors: singleError('whatHappened', message), savedLink: `${linkBase(request, frontDoor.publicUrl)}/report/draft/${token}` });
    }
    const gathered = gatherReport(pack, 'online', fields, frontDoor.today());
    if (!gathered.ok) return renderForm(request, reply.code(400), token, fields, { errors: gathered.errors });
    const honeypot = (request.body as Record<string, unknown> | undefined)?.website;
    const outcome = await frontDoor.submit(
      who,
      { channel: 'online', report: gathered.value, draftToken: token, suspectedAutomated: typeof honeypot === 'string' && honeypot.trim() !== '' },
    );
    if (outcome.outcome !== 'received') throw new Error('an online report cannot reuse an idempotency key');
    return reply.redirect(`/report/status/${outcome.statusToken}?sent=1`, 303);
  };

  // The draft's address is a 256-bit secret, so a forged post from another site cannot name a draft:
  // no CSRF cookie is needed, and a reporter whose browser refuses cookies can still save and send.
  const saveLimit = { max: deps.limits.savesPerMinute, timeWindow: '1 minute' };
  app.post('/report/draft/:token', { config: { access: 'public', secretInAddress: true, rateLimit: saveLimit } }, (request, reply) => handle(request, reply, false));
  app.post('/report/draft/:token/send', { config: { access: 'public', secretInAddress: true, rateLimit: saveLimit } }, (request, reply) => handle(request, reply, true));

  app.get('/report/status/:token', { config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (request, reply) => {
    // A status link finds its report in whichever organisation holds it: no front-door organisation needed.
    const token = tokenParam(request);
    const status = await frontDoor.statusOf(token);
    if (!status) throw notFound('report');
    return views.render(request, reply, `${VIEWS}/status.njk`, {
      pageTitle: (request.query as Record<string, unknown>).sent === '1' ? 'Report sent' : `Report ${status.reference}`,
      sent: (request.query as Record<string, unknown>).sent === '1',
      status,
      statusText: deps.screening.reporterStatus(status.status, status.outcome),
      decided: status.status === 'screened_in' || status.status === 'screened_out',
      link: `${linkBase(request, frontDoor.publicUrl)}/report/status/${token}`,
      emailsLink: frontDoor.publicUrl !== undefined,
      helpline: pack.helpline,
    });
  });
}
