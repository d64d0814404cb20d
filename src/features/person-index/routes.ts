import type { FastifyInstance } from 'fastify';
import { roleHasPermission } from '../../platform/access/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import { actorOf } from '../../platform/http/route-access.ts';
import { isoDateIn } from '../../platform/time.ts';
import type { Views } from '../../platform/views/views.ts';
import { searchFieldsFromPage, toMatchQuery } from './search-query.ts';
import type { PersonIndexService } from './service.ts';
import { candidateRows, searchFormValues } from './view-models.ts';

const VIEWS = 'features/person-index/views';
const SEARCH_FIELDS = ['given', 'family', 'name', 'dateOfBirth-year', 'ageFrom', 'ageTo', 'identifier'];

/** "Do we already know this child?": the forgiving people search. */
export function registerPersonSearchRoutes(
  app: FastifyInstance,
  deps: { readonly views: Views; readonly personIndex: PersonIndexService; readonly clock: Clock; readonly timeZone: string },
): void {
  app.get('/people', { config: { access: 'people:read' } }, async (request, reply) => {
    const actor = actorOf(request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const values = searchFormValues(query);
    const today = isoDateIn(deps.timeZone, deps.clock.now());
    const context = { pageTitle: 'Find a person', values, canAdd: roleHasPermission(actor.role, 'people:write') };
    if (!SEARCH_FIELDS.some((name) => name in query)) return deps.views.render(request, reply, `${VIEWS}/search.njk`, context);
    const form = searchFieldsFromPage(query, today);
    if (!form.ok) return deps.views.render(request, reply.code(400), `${VIEWS}/search.njk`, { ...context, errors: form.errors });
    const outcome = await deps.personIndex.search(actor, toMatchQuery(form.fields, today), { limit: 20 });
    return deps.views.render(request, reply, `${VIEWS}/search.njk`, {
      ...context,
      results: candidateRows(outcome.candidates, today),
      truncated: outcome.truncated,
      considered: outcome.considered,
    });
  });
}
