import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFound } from './http-error.ts';

const recordId = z.uuid();

/** A path segment that must be a record id: anything else is a page that does not exist (never a 500). */
export function idParam(request: FastifyRequest, name: string): string {
  const parsed = recordId.safeParse((request.params as Record<string, unknown>)[name]);
  if (!parsed.success) throw notFound();
  return parsed.data;
}
