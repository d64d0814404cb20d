import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLE_LABELS, type RoleName } from '../../platform/access/roles.ts';
import { ROLE_NAMES } from '../../config.ts';
import { singleError, validateForm, type FormErrors } from '../../platform/http/forms.ts';
import { notFound } from '../../platform/http/http-error.ts';
import { actorOf, SESSION_COOKIE } from '../../platform/http/route-access.ts';
import type { SessionStore } from '../../platform/auth/session-store.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Views } from '../../platform/views/views.ts';
import { idParam } from '../../platform/http/params.ts';
import { changePasswordSchema, newStaffSchema } from './schemas.ts';
import type { StaffChange, StaffService } from './service.ts';
import { doneMessage, staffRows } from './view-models.ts';

const VIEWS = 'features/staff/views';

const CHANGES: Record<string, { change: StaffChange; title: string; button: string; explain: string; done: string }> = {
  unlock: { change: 'unlocked', title: 'Unlock this account', button: 'Unlock', explain: 'They can sign in again straight away.', done: 'unlocked' },
  'reset-code': {
    change: 'mfa_reset',
    title: 'Reset two-step verification',
    button: 'Reset',
    explain: 'Their authenticator app will no longer work for Hearth and they will be signed out. If their role needs two-step verification, they set it up again at their next sign-in.',
    done: 'mfa-reset',
  },
  disable: { change: 'disabled', title: 'Disable this account', button: 'Disable', explain: 'They are signed out now and cannot sign in until the account is enabled again. Nothing they recorded is removed.', done: 'disabled' },
  enable: { change: 'enabled', title: 'Enable this account', button: 'Enable', explain: 'They can sign in again with their password.', done: 'enabled' },
};

export function registerStaffRoutes(
  app: FastifyInstance,
  deps: { readonly views: Views; readonly staff: StaffService; readonly sessions: SessionStore; readonly clock: Clock },
): void {
  const { views, staff } = deps;

  const roleItems = (selected: unknown) => ROLE_NAMES.map((role: RoleName) => ({ value: role, text: ROLE_LABELS[role], checked: role === selected }));
  const renderNew = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: FormErrors) => {
    const teams = await staff.teams(actorOf(request));
    return views.render(request, reply.code(errors ? 400 : 200), `${VIEWS}/new.njk`, {
      pageTitle: 'Add a staff account',
      values,
      errors,
      roleItems: roleItems(values.role),
      teamItems: [{ value: '', text: 'No team' }, ...teams.map((t) => ({ value: t.id, text: `${t.name} (${t.officeName})`, selected: t.id === values.teamId }))],
      backLink: '/staff',
    });
  };

  app.get('/staff', { config: { access: 'users:manage' } }, async (request, reply) => {
    const members = await staff.list(actorOf(request));
    return views.render(request, reply, `${VIEWS}/list.njk`, {
      pageTitle: 'Staff accounts',
      rows: staffRows(members, deps.clock.now()),
      doneMessage: doneMessage((request.query as Record<string, unknown>).done),
    });
  });

  app.get('/staff/new', { config: { access: 'users:manage' } }, async (request, reply) => renderNew(request, reply, {}));

  app.post('/staff', { config: { access: 'users:manage' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = validateForm(newStaffSchema, body);
    if (!form.ok) return renderNew(request, reply, body, form.errors);
    const outcome = await staff.create(actorOf(request), form.value);
    if (outcome.outcome === 'email_taken') return renderNew(request, reply, body, singleError('email', 'An account with this email address already exists'));
    if (outcome.outcome === 'no_such_team') return renderNew(request, reply, body, singleError('teamId', 'Select a team from the list'));
    // Shown once, on this response: the password is never stored or shown again.
    return views.render(request, reply, `${VIEWS}/created.njk`, { pageTitle: 'Account created', member: outcome.member, password: outcome.password });
  });

  for (const [action, spec] of Object.entries(CHANGES)) {
    app.get(`/staff/:id/${action}`, { config: { access: 'users:manage' } }, async (request, reply) => {
      const member = await staff.find(actorOf(request), idParam(request, 'id'));
      if (!member) throw notFound('account');
      return views.render(request, reply, `${VIEWS}/confirm.njk`, { pageTitle: spec.title, member, spec, action: `/staff/${member.id}/${action}`, backLink: '/staff' });
    });
    app.post(`/staff/:id/${action}`, { config: { access: 'users:manage' } }, async (request, reply) => {
      const actor = actorOf(request);
      const id = idParam(request, 'id');
      const outcome = await staff.change(actor, id, spec.change);
      if (outcome === 'not_found') throw notFound('account');
      if (outcome === 'not_yourself') {
        const member = await staff.find(actor, id);
        return views.render(request, reply.code(400), `${VIEWS}/confirm.njk`, {
          pageTitle: spec.title,
          member,
          spec,
          action: `/staff/${id}/${action}`,
          errors: singleError('confirm', 'You cannot do this to your own account: ask another administrator'),
          backLink: '/staff',
        });
      }
      return reply.redirect(`/staff?done=${spec.done}`, 303);
    });
  }

  app.get('/account/password', { config: { access: 'signed-in' } }, async (request, reply) =>
    views.render(request, reply, `${VIEWS}/password.njk`, { pageTitle: 'Change your password', backLink: '/account' }),
  );

  app.post('/account/password', { config: { access: 'signed-in', rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const render = (errors: FormErrors) => views.render(request, reply.code(400), `${VIEWS}/password.njk`, { pageTitle: 'Change your password', errors, backLink: '/account' });
    const form = validateForm(changePasswordSchema, request.body);
    if (!form.ok) return render(form.errors);
    const actor = actorOf(request);
    const outcome = await staff.changeOwnPassword(actor, form.value.currentPassword, form.value.newPassword);
    if (outcome === 'wrong_password') return render(singleError('currentPassword', 'Your current password is not correct'));
    const token = await deps.sessions.create(actor.userId, actor.organisationId, 'active');
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto' });
    return reply.redirect('/account?password=changed', 303);
  });
}
