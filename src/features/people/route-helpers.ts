import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../platform/clock.ts';
import { notFound } from '../../platform/http/http-error.ts';
import type { Views } from '../../platform/views/views.ts';
import { personIdSchema } from './schemas.ts';
import type { PeopleService } from './service.ts';

export interface PeopleRouteDependencies {
  readonly views: Views;
  readonly people: PeopleService;
  readonly clock: Clock;
  readonly timeZone: string;
}

export const VIEWS = 'features/people/views';

/** A path segment that must be a record id: anything else is a page that does not exist (never a 500). */
export function idParam(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, unknown>)[name];
  const parsed = personIdSchema.safeParse(value);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

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
