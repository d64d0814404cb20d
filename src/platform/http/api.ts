import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Permission } from '../access/roles.ts';
import { apiFieldErrors } from './forms.ts';

/**
 * The JSON API: each operation is declared once, with the zod schemas that validate its input, and
 * the same declaration produces its part of the OpenAPI 3.1 document. Bodies that fail their schema
 * get a 400 with field errors; path ids that are not ids get a 404.
 */

export const apiErrorSchema = z
  .object({
    error: z.string().meta({ description: 'A stable code: validation_failed, not_found, conflict, unauthorised ...' }),
    message: z.string(),
    fieldErrors: z.record(z.string(), z.array(z.string())).optional().meta({ description: 'Field path -> messages (400 only)' }),
  })
  .meta({ id: 'Error' });

export interface ApiResponseSpec {
  readonly description: string;
  readonly schema?: z.ZodType;
}

export interface ApiOperation<B extends z.ZodType | undefined, P extends z.ZodObject | undefined, Q extends z.ZodObject | undefined> {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI style, under /api/v1: '/people/{id}'. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly access: Permission | 'public';
  readonly body?: B;
  readonly params?: P;
  readonly query?: Q;
  /** Request headers the operation reads (checked by its handler), for the document. */
  readonly headers?: readonly ApiHeaderParameter[];
  readonly responses: Readonly<Record<number, ApiResponseSpec>>;
}

export interface ApiHeaderParameter {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
  readonly schema: Readonly<Record<string, unknown>>;
}

export interface ApiInput<B, P, Q> {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly body: B;
  readonly params: P;
  readonly query: Q;
}

type Output<T> = T extends z.ZodType ? z.output<T> : undefined;

export const API_PREFIX = '/api/v1';

export class ApiRegistry {
  private readonly operations: ApiOperation<z.ZodType | undefined, z.ZodObject | undefined, z.ZodObject | undefined>[] = [];

  constructor(private readonly app: FastifyInstance) {}

  route<B extends z.ZodType | undefined = undefined, P extends z.ZodObject | undefined = undefined, Q extends z.ZodObject | undefined = undefined>(
    operation: ApiOperation<B, P, Q>,
    handler: (input: ApiInput<Output<B>, Output<P>, Output<Q>>) => Promise<unknown>,
  ): void {
    this.operations.push(operation);
    const url = API_PREFIX + operation.path.replace(/\{(\w+)\}/g, ':$1');
    this.app.route({
      method: operation.method.toUpperCase(),
      url,
      config: { access: operation.access },
      handler: async (request, reply) => {
        let params: unknown;
        if (operation.params) {
          const parsed = operation.params.safeParse(request.params);
          if (!parsed.success) return reply.code(404).send({ error: 'not_found', message: 'No such record.' });
          params = parsed.data;
        }
        let query: unknown;
        if (operation.query) {
          const parsed = operation.query.safeParse(request.query ?? {});
          if (!parsed.success) return badRequest(reply, parsed.error.issues);
          query = parsed.data;
        }
        let body: unknown;
        if (operation.body && request.headers['content-type'] !== undefined && !isJson(request)) {
          return reply.code(415).send({ error: 'unsupported_media_type', message: 'Send the body as JSON: Content-Type: application/json.' });
        }
        if (operation.body) {
          const parsed = operation.body.safeParse(request.body);
          if (!parsed.success) return badRequest(reply, parsed.error.issues);
          body = parsed.data;
        }
        return handler({ request, reply, body: body as Output<B>, params: params as Output<P>, query: query as Output<Q> });
      },
    });
  }

  /** The OpenAPI 3.1 document for every operation registered so far. */
  document(info: { title: string; version: string; description: string }) {
    const paths: Record<string, Record<string, unknown>> = {};
    const components: Record<string, unknown> = {};
    for (const op of this.operations) {
      const parameters = [
        ...objectParameters(op.params, 'path'),
        ...objectParameters(op.query, 'query'),
        ...(op.headers ?? []).map((header) => ({ ...header, in: 'header' })),
      ];
      const responses = Object.fromEntries(
        Object.entries(op.responses).map(([status, spec]) => [
          status,
          {
            description: spec.description,
            ...(spec.schema ? { content: { 'application/json': { schema: toSchema(spec.schema, 'output', components) } } } : {}),
          },
        ]),
      );
      (paths[API_PREFIX + op.path] ??= {})[op.method] = {
        operationId: op.operationId,
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        tags: [op.tag],
        ...(op.access === 'public' ? { security: [] } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(op.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(op.body, 'input', components) } } } }
          : {}),
        responses,
      };
    }
    return {
      openapi: '3.1.0',
      info,
      servers: [{ url: '/' }],
      security: [{ bearerAuth: [] }],
      paths,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token from `npx hearth token create --user EMAIL`.' },
        },
        schemas: components,
      },
    };
  }
}

function isJson(request: FastifyRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  return /^application\/([\w.+-]+\+)?json\b/i.test(type);
}

function badRequest(reply: FastifyReply, issues: readonly z.core.$ZodIssue[]) {
  return reply.code(400).send({ error: 'validation_failed', message: 'The request has errors: see fieldErrors.', fieldErrors: apiFieldErrors(issues) });
}

/** JSON Schema (draft 2020-12, as OpenAPI 3.1 uses) for a zod schema; named schemas go to components. */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, unknown>): unknown {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' }) as Record<string, unknown>;
  delete json.$schema;
  const defs = (json.$defs ?? {}) as Record<string, unknown>;
  delete json.$defs;
  // Named schemas move to components, so their references to each other must follow them there.
  for (const [name, def] of Object.entries(defs)) components[name] = rewriteRefs(def);
  const id = typeof json.id === 'string' ? json.id : undefined;
  if (id) {
    delete json.id;
    components[id] = rewriteRefs(json);
    return { $ref: `#/components/schemas/${id}` };
  }
  return rewriteRefs(json);
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === '$ref' && typeof inner === 'string' ? inner.replace('#/$defs/', '#/components/schemas/') : rewriteRefs(inner),
      ]),
    );
  }
  return value;
}

function objectParameters(schema: z.ZodObject | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}
