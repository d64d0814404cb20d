import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/access/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Views } from '../../platform/views/views.ts';
import type { PeopleService } from './service.ts';

export interface PeopleRouteDependencies {
  readonly views: Views;
  readonly people: PeopleService;
  readonly clock: Clock;
  readonly timeZone: string;
  /** Finds people by a typed name, best match first (the person index's search). */
  readonly findByName: (actor: Actor, name: string) => Promise<FoundPerson[]>;
}

/** A person found by name, as a list of choices shows them. */
export interface FoundPerson {
  readonly id: string;
  readonly name: string;
  readonly dateOfBirth: string;
}

export const VIEWS = 'features/people/views';

/** The submitted fields to carry through a conflict page, so nothing typed is lost. */
export function carriedFields(body: unknown): [string, string][] {
  if (!body || typeof body !== 'object') return [];
  return Object.entries(body as Record<string, unknown>)
    .filter(([key]) => !['_csrf', 'version', '_choice'].includes(key))
    .map(([key, value]) => [key, String(Array.isArray(value) ? value[0] : value ?? '')]);
}

export function formBody(request: FastifyRequest): Record<string, unknown> {
  return request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
}
