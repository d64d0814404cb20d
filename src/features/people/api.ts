import { z } from 'zod';
import { apiErrorSchema, type ApiRegistry } from '../../platform/http/api.ts';
import { actorOf } from '../../platform/http/route-access.ts';
import { IDENTIFIER_TYPE_VALUES } from './identifiers.ts';
import { INDIGENOUS_STATUS_VALUES, INTERPRETER_VALUES, NAME_TYPE_VALUES, SEX_VALUES } from './person-options.ts';
import type { Address, Identifier, Person, PersonName } from './person.ts';
import { personCreateBody, personUpdateBody } from './schemas.ts';
import type { PeopleService } from './service.ts';

const personResponse = z
  .object({
    id: z.uuid(),
    version: z.int().meta({ description: 'Send it back with an update; a stale version gets 409' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    givenNames: z.string(),
    familyName: z.string(),
    preferredName: z.string().nullable(),
    dateOfBirth: z.iso.date().nullable(),
    dateOfBirthEstimated: z.boolean(),
    sex: z.enum(SEX_VALUES),
    gender: z.string().nullable(),
    indigenousStatus: z.enum(INDIGENOUS_STATUS_VALUES),
    ethnicity: z.string().nullable(),
    languages: z.array(z.string()),
    interpreterRequired: z.enum(INTERPRETER_VALUES),
    names: z.array(z.object({ id: z.uuid(), nameType: z.enum(NAME_TYPE_VALUES), givenNames: z.string(), familyName: z.string() })),
    addresses: z.array(
      z.object({
        id: z.uuid(),
        line1: z.string(),
        line2: z.string().nullable(),
        suburb: z.string(),
        state: z.string().nullable(),
        postcode: z.string().nullable(),
        country: z.string().nullable(),
        livedFrom: z.iso.date().nullable(),
        livedUntil: z.iso.date().nullable(),
      }),
    ),
    identifiers: z.array(z.object({ id: z.uuid(), identifierType: z.enum(IDENTIFIER_TYPE_VALUES), value: z.string() })),
  })
  .meta({ id: 'Person' });

const conflictResponse = z
  .object({ error: z.literal('conflict'), message: z.string(), current: personResponse })
  .meta({ id: 'Conflict' });

/** The fields the API shows of a person: listed one by one, so nothing leaks by accident. */
export function presentPerson(view: { person: Person; names: readonly PersonName[]; addresses: readonly Address[]; identifiers: readonly Identifier[] }) {
  const p = view.person;
  return {
    id: p.id,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    givenNames: p.givenNames,
    familyName: p.familyName,
    preferredName: p.preferredName,
    dateOfBirth: p.dateOfBirth,
    dateOfBirthEstimated: p.dateOfBirthEstimated,
    sex: p.sex,
    gender: p.gender,
    indigenousStatus: p.indigenousStatus,
    ethnicity: p.ethnicity,
    languages: p.languages,
    interpreterRequired: p.interpreterRequired,
    names: view.names.map((n) => ({ id: n.id, nameType: n.nameType, givenNames: n.givenNames, familyName: n.familyName })),
    addresses: view.addresses.map((a) => ({
      id: a.id,
      line1: a.line1,
      line2: a.line2,
      suburb: a.suburb,
      state: a.state,
      postcode: a.postcode,
      country: a.country,
      livedFrom: a.livedFrom,
      livedUntil: a.livedUntil,
    })),
    identifiers: view.identifiers.map((i) => ({ id: i.id, identifierType: i.identifierType, value: i.value })),
  };
}

const idParams = z.object({ id: z.uuid() });
const errors = {
  401: { description: 'No valid API token', schema: apiErrorSchema },
  403: { description: 'The token may not do this', schema: apiErrorSchema },
};

export function registerPeopleApi(api: ApiRegistry, people: PeopleService): void {
  api.route(
    {
      method: 'post',
      path: '/people',
      operationId: 'createPerson',
      summary: 'Create a person',
      tag: 'People',
      access: 'people:write',
      body: personCreateBody,
      responses: {
        201: { description: 'Created', schema: personResponse },
        400: { description: 'The body has errors', schema: apiErrorSchema },
        ...errors,
      },
    },
    async ({ request, reply, body }) => {
      const actor = actorOf(request);
      const person = await people.create(actor, body);
      return reply.code(201).header('location', `/api/v1/people/${person.id}`).send(presentPerson({ person, names: [], addresses: [], identifiers: [] }));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/people/{id}',
      operationId: 'getPerson',
      summary: 'Read a person',
      description: 'Every read is written to the audit trail.',
      tag: 'People',
      access: 'people:read',
      params: idParams,
      responses: {
        200: { description: 'The person', schema: personResponse },
        404: { description: 'No such person in your organisation', schema: apiErrorSchema },
        ...errors,
      },
    },
    async ({ request, reply, params }) => {
      const view = await people.viewForApi(actorOf(request), params.id);
      if (!view) return reply.code(404).send({ error: 'not_found', message: 'No such person.' });
      return presentPerson(view);
    },
  );

  api.route(
    {
      method: 'put',
      path: '/people/{id}',
      operationId: 'updatePerson',
      summary: "Replace a person's details",
      description:
        'Send every detail with the `version` you read. If someone changed the person since, nothing is saved: the answer is 409 with the current person, to merge and send again.',
      tag: 'People',
      access: 'people:write',
      params: idParams,
      body: personUpdateBody,
      responses: {
        200: { description: 'Saved', schema: personResponse },
        400: { description: 'The body has errors', schema: apiErrorSchema },
        404: { description: 'No such person in your organisation', schema: apiErrorSchema },
        409: { description: 'The version is stale; the current person is returned', schema: conflictResponse },
        ...errors,
      },
    },
    async ({ request, reply, params, body }) => {
      const actor = actorOf(request);
      const { version, ...details } = body;
      const outcome = await people.update(actor, params.id, version, details);
      if (outcome.outcome === 'not_found') return reply.code(404).send({ error: 'not_found', message: 'No such person.' });
      const view = await people.viewForApi(actor, params.id);
      if (!view) return reply.code(404).send({ error: 'not_found', message: 'No such person.' });
      if (outcome.outcome === 'conflict') {
        return reply.code(409).send({
          error: 'conflict',
          message: `The person has changed since version ${version}: nothing was saved. Merge your change into the current version and send it again.`,
          current: presentPerson(view),
        });
      }
      return presentPerson(view);
    },
  );
}
