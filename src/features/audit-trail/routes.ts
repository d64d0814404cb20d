import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../platform/access/actor.ts';
import { notFound } from '../../platform/http/http-error.ts';
import { actorOf } from '../../platform/http/route-access.ts';
import { optionalText } from '../../platform/http/text-fields.ts';
import type { Views } from '../../platform/views/views.ts';
import { idParam } from '../../platform/http/params.ts';
import type { FoundPerson } from '../people/route-helpers.ts';
import type { PeopleService } from '../people/service.ts';
import { actionLabel, type AuditTrailService } from './service.ts';

const VIEWS = 'features/audit-trail/views';
const nameQuery = optionalText({ label: 'name', max: 200 });

export function registerAuditTrailRoutes(
  app: FastifyInstance,
  deps: {
    readonly views: Views;
    readonly auditTrail: AuditTrailService;
    readonly people: PeopleService;
    readonly findByName: (actor: Actor, name: string) => Promise<FoundPerson[]>;
  },
): void {
  const { views, auditTrail, people } = deps;

  app.get('/audit', { config: { access: 'audit:read' } }, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const name = nameQuery.safeParse(query.name);
    const results = name.success && name.data ? await deps.findByName(actorOf(request), name.data) : undefined;
    return views.render(request, reply.code(name.success ? 200 : 400), `${VIEWS}/find.njk`, {
      pageTitle: 'Audit: who viewed or changed a record',
      values: { name: typeof query.name === 'string' ? query.name : '' },
      errors: name.success ? undefined : { summary: [{ text: name.error.issues[0]?.message ?? '', href: '#name' }], fields: { name: { text: name.error.issues[0]?.message ?? '' } } },
      results,
    });
  });

  app.get('/audit/people/:id', { config: { access: 'audit:read' } }, async (request, reply) => {
    const actor = actorOf(request);
    const id = idParam(request, 'id');
    const person = await people.identify(actor, id);
    if (!person) throw notFound('person');
    const entries = await auditTrail.forPerson(actor, id);
    return views.render(request, reply, `${VIEWS}/person.njk`, {
      pageTitle: `Who viewed or changed ${person.name}'s record`,
      person,
      entries: entries.map((e) => ({ ...e, actionText: actionLabel(e.action) })),
      backLink: '/audit',
    });
  });
}
