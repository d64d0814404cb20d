import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionStore } from '../../platform/auth/session-store.ts';
import type { SignInService } from '../../platform/auth/sign-in.ts';
import { newTotpSecret, totpQrSvg, totpUri } from '../../platform/auth/totp.ts';
import type { Clock } from '../../platform/clock.ts';
import { singleError, validateForm, type FormErrors } from '../../platform/http/forms.ts';
import { httpError } from '../../platform/http/http-error.ts';
import { SESSION_COOKIE } from '../../platform/http/route-access.ts';
import { longDateTime } from '../../platform/time.ts';
import type { Views } from '../../platform/views/views.ts';
import { codeForm, safeReturnTo, signInForm } from './schemas.ts';

export interface SignInDependencies {
  readonly views: Views;
  readonly sessions: SessionStore;
  readonly signIn: SignInService;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly rateLimitPerMinute: number;
}

const VIEWS = 'features/sign-in/views';

export function registerSignInRoutes(app: FastifyInstance, deps: SignInDependencies): void {
  const { views, sessions, signIn } = deps;
  const rateLimit = { max: deps.rateLimitPerMinute, timeWindow: '1 minute' };

  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto' });

  const lockedMessage = (until: Date) =>
    `Your account is locked after too many attempts. Try again after ${longDateTime(until, deps.timeZone)}.`;

  const renderSignIn = (request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: FormErrors) =>
    views.render(request, reply.code(errors ? 400 : 200), `${VIEWS}/sign-in.njk`, {
      pageTitle: 'Sign in',
      values,
      errors,
    });

  app.get<{ Querystring: Record<string, unknown> }>('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    if (request.session?.stage === 'active') return reply.redirect('/', 303);
    const query = request.query;
    return views.render(request, reply, `${VIEWS}/sign-in.njk`, {
      pageTitle: 'Sign in',
      values: { returnTo: safeReturnTo(query.returnTo) },
      signedOut: query.signedOut === '1',
      expired: query.expired === '1',
    });
  });

  app.post('/sign-in', { config: { access: 'public', rateLimit } }, async (request, reply) => {
    const form = validateForm(signInForm, request.body);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const returnTo = safeReturnTo(body.returnTo);
    const kept = { email: typeof body.email === 'string' ? body.email.slice(0, 320) : '', returnTo };
    if (!form.ok) return renderSignIn(request, reply, kept, form.errors);
    const outcome = await signIn.checkPassword(form.value.email, form.value.password, request.id);
    if (outcome.outcome === 'rejected') {
      return renderSignIn(request, reply, kept, singleError('email', 'Enter a correct email address and password'));
    }
    if (outcome.outcome === 'locked') return renderSignIn(request, reply, kept, singleError('email', lockedMessage(outcome.until)));
    if (request.sessionToken) await sessions.destroy(request.sessionToken);
    const token = await sessions.create(outcome.user.id, outcome.user.organisation_id, outcome.next);
    setSessionCookie(reply, token);
    const next = encodeURIComponent(returnTo);
    if (outcome.next === 'mfa_required') return reply.redirect(`/sign-in/code?returnTo=${next}`, 303);
    if (outcome.next === 'mfa_enrolment') return reply.redirect(`/sign-in/set-up-code?returnTo=${next}`, 303);
    return reply.redirect(returnTo, 303);
  });

  app.get<{ Querystring: Record<string, unknown> }>('/sign-in/code', { config: { access: 'mfa-pending' } }, async (request, reply) => {
    if (request.session?.stage !== 'mfa_required') return reply.redirect('/sign-in/set-up-code', 303);
    return views.render(request, reply, `${VIEWS}/code.njk`, {
      pageTitle: 'Enter the code from your authenticator app',
      values: { returnTo: safeReturnTo(request.query.returnTo) },
    });
  });

  app.post('/sign-in/code', { config: { access: 'mfa-pending', rateLimit } }, async (request, reply) => {
    const session = request.session;
    if (!session || session.stage !== 'mfa_required' || !request.sessionToken) return reply.redirect('/sign-in', 303);
    const form = validateForm(codeForm, request.body);
    const returnTo = safeReturnTo((request.body as Record<string, unknown> | undefined)?.returnTo);
    const again = (errors: FormErrors) =>
      views.render(request, reply.code(400), `${VIEWS}/code.njk`, {
        pageTitle: 'Enter the code from your authenticator app',
        values: { returnTo },
        errors,
      });
    if (!form.ok) return again(form.errors);
    const outcome = await signIn.checkCode(session.user.id, form.value.code, request.id);
    if (outcome.outcome === 'locked') {
      await sessions.destroy(request.sessionToken);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return renderSignIn(request, reply, { returnTo }, singleError('email', lockedMessage(outcome.until)));
    }
    if (outcome.outcome === 'rejected') {
      return again(singleError('code', 'The code is not correct or has expired: enter the code your app shows now'));
    }
    setSessionCookie(reply, await sessions.promote(session.id, session.user.id, session.user.organisationId));
    return reply.redirect(returnTo, 303);
  });

  const renderSetUp = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { action: string; returnTo: string; errors?: FormErrors },
  ) => {
    const session = request.session;
    if (!session) throw httpError(403, 'Sign in first.');
    let secret = session.pendingMfaSecret;
    if (!secret) {
      secret = newTotpSecret();
      await sessions.setPendingMfaSecret(session.id, secret);
    }
    const uri = totpUri(secret, session.user.email);
    return views.render(request, reply.code(options.errors ? 400 : 200), `${VIEWS}/set-up-code.njk`, {
      pageTitle: 'Set up two-step verification',
      qrSvg: await totpQrSvg(uri),
      secretGroups: secret.match(/.{1,4}/g)?.join(' '),
      required: session.stage === 'mfa_enrolment',
      action: options.action,
      values: { returnTo: options.returnTo },
      errors: options.errors,
    });
  };

  const confirmSetUp = async (request: FastifyRequest, reply: FastifyReply, action: string) => {
    const session = request.session;
    if (!session || !request.sessionToken) return reply.redirect('/sign-in', 303);
    const returnTo = safeReturnTo((request.body as Record<string, unknown> | undefined)?.returnTo);
    const form = validateForm(codeForm, request.body);
    if (!form.ok) return renderSetUp(request, reply, { action, returnTo, errors: form.errors });
    if (!session.pendingMfaSecret) return renderSetUp(request, reply, { action, returnTo });
    const outcome = await signIn.enrolMfa(session.user.id, session.pendingMfaSecret, form.value.code, request.id);
    if (outcome.outcome === 'locked') {
      await sessions.destroy(request.sessionToken);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return renderSignIn(request, reply, { returnTo }, singleError('email', lockedMessage(outcome.until)));
    }
    if (outcome.outcome === 'rejected') {
      return renderSetUp(request, reply, {
        action,
        returnTo,
        errors: singleError('code', 'The code is not correct: check the time on your phone and enter the code your app shows now'),
      });
    }
    await sessions.destroyAllFor(session.user.id); // other sessions began before the second factor existed
    setSessionCookie(reply, await sessions.create(session.user.id, session.user.organisationId, 'active'));
    return reply.redirect(action === '/account/set-up-code' ? '/account?mfa=on' : returnTo, 303);
  };

  app.get<{ Querystring: Record<string, unknown> }>('/sign-in/set-up-code', { config: { access: 'mfa-pending' } }, async (request, reply) => {
    if (request.session?.stage !== 'mfa_enrolment') return reply.redirect('/sign-in/code', 303);
    return renderSetUp(request, reply, { action: '/sign-in/set-up-code', returnTo: safeReturnTo(request.query.returnTo) });
  });
  app.post('/sign-in/set-up-code', { config: { access: 'mfa-pending', rateLimit } }, async (request, reply) => {
    if (request.session?.stage !== 'mfa_enrolment') return reply.redirect('/sign-in/code', 303);
    return confirmSetUp(request, reply, '/sign-in/set-up-code');
  });

  app.get('/account/set-up-code', { config: { access: 'signed-in' } }, async (request, reply) => {
    if (request.session?.user.mfaEnabled) return reply.redirect('/account', 303);
    return renderSetUp(request, reply, { action: '/account/set-up-code', returnTo: '/account' });
  });
  app.post('/account/set-up-code', { config: { access: 'signed-in', rateLimit } }, async (request, reply) => {
    if (request.session?.user.mfaEnabled) return reply.redirect('/account', 303);
    return confirmSetUp(request, reply, '/account/set-up-code');
  });

  app.get<{ Querystring: Record<string, unknown> }>('/account', { config: { access: 'signed-in' } }, async (request, reply) =>
    views.render(request, reply, `${VIEWS}/account.njk`, {
      pageTitle: 'Your account',
      account: request.session?.user,
      mfaRequired: request.session ? signIn.mfaRequiredFor(request.session.user.role) : false,
      mfaJustEnabled: request.query.mfa === 'on',
      passwordChanged: request.query.password === 'changed',
      sessionExpiresAt: request.session?.expiresAt,
    }),
  );

  // Public so that someone half-way through signing in can also leave; CSRF-protected like every form.
  app.post('/sign-out', { config: { access: 'public' } }, async (request, reply) => {
    if (request.sessionToken) {
      if (request.session) await signIn.recordSignOut(request.session.user.id, request.id);
      await sessions.destroy(request.sessionToken);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in?signedOut=1', 303);
  });
}
