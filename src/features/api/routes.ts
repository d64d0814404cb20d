import type { FastifyInstance } from 'fastify';
import { ApiRegistry } from '../../platform/http/api.ts';
import type { Clock } from '../../platform/clock.ts';
import { registerReportsApi } from '../front-door/api.ts';
import type { FrontDoorService } from '../front-door/service.ts';
import { registerPersonSearchApi } from '../person-index/api.ts';
import type { PersonIndexService } from '../person-index/service.ts';
import { registerPeopleApi } from '../people/api.ts';
import type { PeopleService } from '../people/service.ts';

/** /api/v1: each feature adds its operations; the OpenAPI document describes exactly those. */
export function registerApi(
  app: FastifyInstance,
  deps: {
    readonly people: PeopleService;
    readonly personIndex: PersonIndexService;
    readonly frontDoor: FrontDoorService;
    readonly clock: Clock;
    readonly timeZone: string;
  },
): void {
  const api = new ApiRegistry(app);
  registerPersonSearchApi(api, deps);
  registerPeopleApi(api, deps.people);
  registerReportsApi(api, deps);

  let document: unknown;
  app.get('/api/v1/openapi.json', { config: { access: 'public' } }, async () => {
    document ??= api.document({
      title: 'Hearth API',
      version: '1',
      description: 'Hearth, an open child-centred child-protection platform. Authenticate with a bearer token.',
    });
    return document;
  });
}
