import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorAsAuditWho } from '../../platform/audit/audit-log.ts';
import { apiErrorSchema, type ApiRegistry } from '../../platform/http/api.ts';
import { actorOf } from '../../platform/http/route-access.ts';
import { optionalText } from '../../platform/http/text-fields.ts';
import type { PracticePack } from '../../practice/pack.ts';
import { linkBase } from './online-routes.ts';
import { MAX_CHILDREN, reportSchema } from './report.ts';
import type { FrontDoorService } from './service.ts';

/**
 * `POST /api/v1/reports`: an agency's system (police, health, education) sends the report a person
 * would type online, with the same rules, as JSON. An `Idempotency-Key` header makes a retry safe:
 * the same key with the same body answers with the report already stored, never a second one.
 */

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** 1 to 200 printable ASCII characters, not starting or ending with a space (HTTP trims those anyway). */
const IDEMPOTENCY_KEY_PATTERN = '^[!-~](?:[ -~]*[!-~])?$';
const IDEMPOTENCY_KEY_MAX = 200;
const IDEMPOTENCY_KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);

const sourceAgencyField = optionalText({ label: 'source agency', max: 200 });

/** The body: the report's own schema with every object closed (an unknown field is refused), and the sending agency. */
function agencyReportSchema(pack: PracticePack, today: string) {
  return closed(reportSchema(pack, 'agency', today).extend({ sourceAgency: sourceAgencyField }));
}

type AgencyReport = z.output<ReturnType<typeof agencyReportSchema>>;

/**
 * The same schema with no unknown keys allowed in any object reached through objects and arrays (all
 * a report has): each keeps its fields, messages and refinements, and gains `additionalProperties: false`.
 */
function closed<T extends z.ZodType>(schema: T): T {
  if (schema instanceof z.ZodObject) {
    const shape = Object.fromEntries(Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => [name, closed(field)]));
    return schema.clone({ ...schema._zod.def, shape, catchall: z.never() });
  }
  if (schema instanceof z.ZodArray) {
    return schema.clone({ ...schema._zod.def, element: closed(schema.element as z.ZodType) });
  }
  return schema;
}

/**
 * The body schema the registry validates with. The report's rules depend on today's date (a date of
 * birth must be today or earlier, and within 18 years), so each request is checked against today's
 * schema; the document describes the same schema (JSON Schema has no "today", so it is the same every day).
 */
function agencyReportBody(pack: PracticePack, today: () => string) {
  let cached: { day: string; schema: ReturnType<typeof agencyReportSchema> } | undefined;
  const schemaFor = (day: string) => {
    if (cached?.day !== day) cached = { day, schema: agencyReportSchema(pack, day) };
    return cached.schema;
  };
  return z
    .unknown()
    .transform((input, ctx): AgencyReport => {
      const parsed = schemaFor(today()).safeParse(input);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
      return z.NEVER;
    })
    .meta({ id: 'AgencyReport', ...documented(schemaFor(today()), pack) });
}

/** The JSON Schema of the body, with the rules JSON Schema cannot say written as descriptions. */
function documented(schema: z.ZodType, pack: PracticePack): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  const child = json.properties?.children?.items;
  const describe = (node: JsonSchema | undefined, description: string) => {
    if (node) node.description = description;
  };
  describe(json, 'A report about one or more children, as the online form takes it.');
  describe(json.properties?.children, `The children the report is about: 1 to ${MAX_CHILDREN}.`);
  describe(child, "Each child needs givenNames or familyName (what they are known as will do: for an unborn child, 'Unborn child of' and the parent's name), and at least one concern.");
  describe(child?.properties?.dateOfBirth, 'YYYY-MM-DD: a real date, today or earlier, within the last 18 years. Give ageYears instead when it is not known.');
  describe(child?.properties?.postcode, '4 digits.');
  describe(child?.properties?.concerns, `Grounds of concern, by code: ${pack.grounds.map((g) => `${g.code} (${g.title})`).join(', ')}.`);
  describe(json.properties?.safeNow, 'Whether the child is safe right now.');
  describe(json.properties?.reporter, 'The person at the agency who made the report: name, role, and an email address or a phone number (at least one).');
  describe(
    json.properties?.sourceAgency,
    "The agency the report comes from, e.g. 'NSW Police Force'. Without it, the display name of the account the API token belongs to is recorded.",
  );
  return json;
}

interface JsonSchema {
  [key: string]: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

const reportReceived = z
  .object({
    id: z.uuid(),
    reference: z.string().meta({ description: 'The report reference, to quote to the helpline' }),
    status: z.literal('awaiting_screening'),
    statusUrl: z.url().meta({
      description:
        "The report's private status page (where it stands, not what it says). Given once, in this answer: Hearth keeps only a hash of it, so a repeated request cannot give it again. Keep it with the agency's record.",
    }),
    repeated: z.literal(false),
  })
  .meta({ id: 'ReportReceived' });

const reportRepeated = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    repeated: z.literal(true).meta({ description: 'This Idempotency-Key and body were received before: this is that report, and nothing new was stored' }),
  })
  .meta({ id: 'ReportRepeated' });

/** The Idempotency-Key header, as the document describes it. */
const idempotencyKeyParameter = {
  name: IDEMPOTENCY_KEY_HEADER,
  required: false,
  description:
    'Recommended. A key the agency system chooses for this report (a UUID, or its own record number), 1 to 200 printable ASCII characters, sent again unchanged with every retry. The same key with the same body answers 200 with the report already stored; the same key with a different body answers 422. Keys belong to the account that sends them. Without a key, every request stores a new report.',
  schema: { type: 'string', minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX, pattern: IDEMPOTENCY_KEY_PATTERN },
} as const;

type KeyRead = { readonly ok: true; readonly key: string | undefined } | { readonly ok: false; readonly message: string };

function idempotencyKeyOf(request: FastifyRequest): KeyRead {
  const value = request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (value === undefined) return { ok: true, key: undefined };
  if (typeof value !== 'string' || value.length === 0 || value.length > IDEMPOTENCY_KEY_MAX || !IDEMPOTENCY_KEY.test(value)) {
    return { ok: false, message: `The ${IDEMPOTENCY_KEY_HEADER} header must be 1 to ${IDEMPOTENCY_KEY_MAX} printable ASCII characters, like a UUID` };
  }
  return { ok: true, key: value };
}

/** Keys are the sending account's own: two agencies' systems that both count from 1 never meet. */
function scopedKey(userId: string, key: string): string {
  return `${userId}:${createHash('sha256').update(key).digest('hex')}`;
}

/** The hash that tells "the same body" from "a different body": of the body as validated (trimmed, nulls filled in), keys sorted. */
function requestHash(body: AgencyReport): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, inner]) => inner !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function registerReportsApi(api: ApiRegistry, deps: { readonly frontDoor: FrontDoorService }): void {
  const { frontDoor } = deps;
  api.route(
    {
      method: 'post',
      path: '/reports',
      operationId: 'submitReport',
      summary: 'Send a report about one or more children, from an agency system',
      description: [
        "For police, health and education systems. The report has the online form's fields and rules, as JSON; an unknown field is refused.",
        'It is stored before the answer is sent, with a reference, and joins the helpline\'s screening queue; the report cannot be read back through the API.',
        `Send an \`${IDEMPOTENCY_KEY_HEADER}\` header so that a retry (after a timeout or a lost answer) never stores a second report: the first answer is 201, a repeat is 200 with the same id and reference (but no status link: it is given once), and the same key with a different body is 422 \`idempotency_key_reused\`.`,
        'The account the token belongs to is recorded as the sender in the audit trail.',
      ].join('\n\n'),
      tag: 'Reports',
      access: 'reports:submit',
      headers: [idempotencyKeyParameter],
      body: agencyReportBody(frontDoor.pack, () => frontDoor.today()),
      responses: {
        201: { description: 'Received: the report is stored', schema: reportReceived },
        200: { description: 'A repeat of an earlier request with the same Idempotency-Key and body: nothing new was stored', schema: reportRepeated },
        400: { description: 'The body or the Idempotency-Key header has errors (or the body is not JSON): nothing was stored', schema: apiErrorSchema },
        401: { description: 'No valid API token', schema: apiErrorSchema },
        403: { description: 'The token may not send reports', schema: apiErrorSchema },
        415: { description: 'The body is not JSON', schema: apiErrorSchema },
        422: { description: 'The Idempotency-Key was used before with a different body (error `idempotency_key_reused`): nothing was stored', schema: apiErrorSchema },
      },
    },
    async ({ request, reply, body }) => {
      const key = idempotencyKeyOf(request);
      if (!key.ok) {
        return reply.code(400).send({ error: 'validation_failed', message: key.message, fieldErrors: { [IDEMPOTENCY_KEY_HEADER]: [key.message] } });
      }
      const actor = actorOf(request);
      const { sourceAgency, ...report } = body;
      const outcome = await frontDoor.submit(
        actorAsAuditWho(actor),
        {
          channel: 'agency',
          report,
          sourceAgency: sourceAgency ?? actor.displayName,
          ...(key.key === undefined ? {} : { idempotency: { key: scopedKey(actor.userId, key.key), requestHash: requestHash(body) } }),
        },
      );
      if (outcome.outcome === 'key_reused') {
        return reply.code(422).send({
          error: 'idempotency_key_reused',
          message: `This ${IDEMPOTENCY_KEY_HEADER} was sent before with a different report, so nothing was stored. Use a new key for a new report.`,
        });
      }
      if (outcome.repeated) return reply.code(200).send({ id: outcome.reportId, reference: outcome.reference, repeated: true });
      return reply.code(201).send({
        id: outcome.reportId,
        reference: outcome.reference,
        status: 'awaiting_screening',
        statusUrl: `${linkBase(request, frontDoor.publicUrl)}/report/status/${outcome.statusToken}`,
        repeated: false,
      });
    },
  );
}
