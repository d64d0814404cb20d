import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { apiErrorSchema, type ApiRegistry } from '../../platform/http/api.ts';
import { actorOf } from '../../platform/http/route-access.ts';
import { isoDateIn } from '../../platform/time.ts';
import { searchFieldsSchema, toMatchQuery } from './search-query.ts';
import type { PersonIndexService } from './service.ts';

const candidateSchema = z.object({
  id: z.uuid(),
  externalId: z.string().nullable(),
  name: z.string(),
  otherNames: z.array(z.string()),
  dateOfBirth: z.iso.date().nullable(),
  sex: z.enum(['female', 'male']).nullable(),
  score: z.number().meta({ description: 'The match weight: the sum of the weights below (log2 of the likelihood ratio)' }),
  probability: z.number().min(0).max(1),
  decision: z.enum(['match', 'possible', 'non-match']),
  explanation: z.array(
    z.object({
      field: z.string(),
      level: z.string(),
      weight: z.number(),
      text: z.string().meta({ description: 'What agreed or disagreed, in words a worker reads' }),
    }),
  ),
});

const searchResponse = z
  .object({
    candidates: z.array(candidateSchema),
    considered: z.int().meta({ description: 'People who shared a blocking key with the query and were scored' }),
    truncated: z.boolean().meta({ description: 'More people shared a key than one search scores: narrow the query' }),
  })
  .meta({ id: 'PersonSearchResult' });

export function registerPersonSearchApi(api: ApiRegistry, deps: { readonly personIndex: PersonIndexService; readonly clock: Clock; readonly timeZone: string }): void {
  api.route(
    {
      method: 'get',
      path: '/people/search',
      operationId: 'searchPeople',
      summary: 'Find people, best match first, with why each matches',
      description:
        'Forgives typos, phonetic spellings, nicknames, swapped names and a swapped day and month. Give a name, a date of birth (dateOfBirth, or birthYear and birthMonth, or ageFrom and ageTo) or an identifier. Every search is audited.',
      tag: 'People',
      access: 'people:read',
      query: searchFieldsSchema,
      responses: {
        200: { description: 'Candidates, best first', schema: searchResponse },
        400: { description: 'The query has errors', schema: apiErrorSchema },
        401: { description: 'No valid API token', schema: apiErrorSchema },
        403: { description: 'The token may not do this', schema: apiErrorSchema },
      },
    },
    async ({ request, query }) => {
      const today = isoDateIn(deps.timeZone, deps.clock.now());
      const outcome = await deps.personIndex.search(actorOf(request), toMatchQuery(query, today), { limit: query.limit ?? 10 });
      return {
        candidates: outcome.candidates.map((c) => ({
          id: c.personId,
          externalId: c.externalId,
          name: c.record.names[0] ? [c.record.names[0].given, c.record.names[0].family].filter(Boolean).join(' ') : '',
          otherNames: c.record.names.slice(1).map((n) => [n.given, n.family].filter(Boolean).join(' ')),
          dateOfBirth: c.record.dateOfBirth,
          sex: c.record.sex,
          score: Math.round(c.result.weight * 100) / 100,
          probability: c.result.probability,
          decision: c.result.decision,
          explanation: c.result.comparisons.map((x) => ({ field: x.field, level: x.level, weight: Math.round(x.weight * 100) / 100, text: x.explanation })),
        })),
        considered: outcome.considered,
        truncated: outcome.truncated,
      };
    },
  );
}
