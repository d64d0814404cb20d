import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validateFormWithDates } from '../../platform/http/forms.ts';
import { notFound, recordMerged } from '../../platform/http/http-error.ts';
import { actorOf } from '../../platform/http/route-access.ts';
import { fullName } from './person.ts';
import { RELATIONSHIP_TYPE_VALUES, RELATIONSHIP_TYPES, type RelationshipType } from './relationship-types.ts';
import { carriedFields, formBody, VIEWS, type PeopleRouteDependencies } from './route-helpers.ts';
import { idParam } from '../../platform/http/params.ts';
import { optionalText } from '../../platform/http/text-fields.ts';
import { EARLIEST_DATE, personIdSchema, relationshipSchema, relationshipUpdateSchema } from './schemas.ts';
import { relationshipConflictRows, relationshipFormValues } from './view-models.ts';

const RELATIONSHIP_DATES = [
  { name: 'startedOn', label: 'Start date', notInFuture: true, earliest: EARLIEST_DATE },
  { name: 'endedOn', label: 'End date', earliest: EARLIEST_DATE },
] as const;

const nameQuery = optionalText({ label: 'name', max: 200 });

/** Radios for "what is <member> to <person>", in the member's words ("Parent") or the inverse ("Child"). */
function typeItems(selected: unknown, memberIsSubject = true) {
  return RELATIONSHIP_TYPE_VALUES.map((value: RelationshipType) => ({
    value,
    text: memberIsSubject ? RELATIONSHIP_TYPES[value].label : RELATIONSHIP_TYPES[value].inverse,
    hint: memberIsSubject && RELATIONSHIP_TYPES[value].hint ? { text: RELATIONSHIP_TYPES[value].hint } : undefined,
    checked: value === selected,
  }));
}

export function registerRelationshipRoutes(app: FastifyInstance, deps: PeopleRouteDependencies): void {
  const { views, people } = deps;

  const load = async (request: FastifyRequest, id: string) => {
    const person = await people.viewToChange(actorOf(request), id);
    if (!person) throw notFound('person');
    if (person === 'merged') throw recordMerged();
    return person;
  };

  app.get('/people/:id/relationships/new', { config: { access: 'people:write' } }, async (request, reply) => {
    const person = await load(request, idParam(request, 'id'));
    const query = (request.query ?? {}) as Record<string, unknown>;
    const chosen = personIdSchema.safeParse(query.personId);
    if (chosen.success && chosen.data !== person.id) {
      const member = await load(request, chosen.data);
      return views.render(request, reply, `${VIEWS}/relationship-form.njk`, {
        pageTitle: `How is ${fullName(member)} related to ${fullName(person)}?`,
        person: { id: person.id, name: fullName(person) },
        member: { id: member.id, name: fullName(member) },
        action: `/people/${person.id}/relationships`,
        values: {},
        typeItems: typeItems(undefined),
        backLink: `/people/${person.id}/relationships/new`,
      });
    }
    const name = nameQuery.safeParse(query.name);
    const results = name.success && name.data ? (await deps.findByName(actorOf(request), name.data)).filter((p) => p.id !== person.id) : undefined;
    return views.render(request, reply, `${VIEWS}/relationship-find.njk`, {
      pageTitle: `Add someone to ${fullName(person)}'s network`,
      person: { id: person.id, name: fullName(person) },
      values: { name: typeof query.name === 'string' ? query.name : '' },
      errors: name.success ? undefined : { summary: [{ text: name.error.issues[0]?.message ?? 'Enter a name', href: '#name' }], fields: { name: { text: name.error.issues[0]?.message ?? 'Enter a name' } } },
      results,
      backLink: `/people/${person.id}`,
    });
  });

  app.post('/people/:id/relationships', { config: { access: 'people:write' } }, async (request, reply) => {
    const id = idParam(request, 'id');
    const body = formBody(request);
    const form = validateFormWithDates(relationshipSchema, body, RELATIONSHIP_DATES, people.today());
    if (!form.ok || form.value.relatedPersonId === id) {
      const person = await load(request, id);
      const memberId = personIdSchema.safeParse(body.relatedPersonId);
      if (!memberId.success || memberId.data === id) return reply.redirect(`/people/${id}/relationships/new`, 303);
      const member = await load(request, memberId.data);
      return views.render(request, reply.code(400), `${VIEWS}/relationship-form.njk`, {
        pageTitle: `How is ${fullName(member)} related to ${fullName(person)}?`,
        person: { id: person.id, name: fullName(person) },
        member: { id: member.id, name: fullName(member) },
        action: `/people/${id}/relationships`,
        values: body,
        errors: form.ok ? undefined : form.errors,
        typeItems: typeItems(body.relationshipType),
        backLink: `/people/${id}/relationships/new`,
      });
    }
    const outcome = await people.addRelationship(actorOf(request), id, form.value);
    if (outcome.outcome === 'not_found') throw notFound('person');
    return reply.redirect(`/people/${id}?saved=relationship#network`, 303);
  });

  const editPage = (member: { person: { name: string }; memberIsSubject: boolean }, personName: string) =>
    `Change ${member.person.name}'s relationship to ${personName}`;

  app.get('/people/:id/relationships/:relationshipId/edit', { config: { access: 'people:write' } }, async (request, reply) => {
    const person = await load(request, idParam(request, 'id'));
    const relationshipId = idParam(request, 'relationshipId');
    const member = await people.findNetworkMember(actorOf(request), person.id, relationshipId);
    if (!member) throw notFound('relationship');
    return views.render(request, reply, `${VIEWS}/relationship-form.njk`, {
      pageTitle: editPage(member, fullName(person)),
      person: { id: person.id, name: fullName(person) },
      member: { id: member.person.id, name: member.person.name },
      action: `/people/${person.id}/relationships/${relationshipId}/edit`,
      values: relationshipFormValues(member),
      typeItems: typeItems(member.relationshipType, member.memberIsSubject),
      editing: true,
      backLink: `/people/${person.id}#network`,
    });
  });

  app.post('/people/:id/relationships/:relationshipId/edit', { config: { access: 'people:write' } }, async (request, reply) => {
    const id = idParam(request, 'id');
    const relationshipId = idParam(request, 'relationshipId');
    const body = formBody(request);
    const action = `/people/${id}/relationships/${relationshipId}/edit`;
    const form = validateFormWithDates(relationshipUpdateSchema, body, RELATIONSHIP_DATES, people.today());
    if (!form.ok || body._choice === 'edit') {
      const person = await load(request, id);
      const member = await people.findNetworkMember(actorOf(request), id, relationshipId);
      if (!member) throw notFound('relationship');
      return views.render(request, reply.code(form.ok ? 200 : 400), `${VIEWS}/relationship-form.njk`, {
        pageTitle: editPage(member, fullName(person)),
        person: { id, name: fullName(person) },
        member: { id: member.person.id, name: member.person.name },
        action,
        values: body,
        errors: form.ok ? undefined : form.errors,
        typeItems: typeItems(body.relationshipType, member.memberIsSubject),
        editing: true,
        backLink: `/people/${id}#network`,
      });
    }
    const outcome = await people.updateRelationship(actorOf(request), id, relationshipId, form.value);
    if (outcome.outcome === 'not_found') throw notFound('relationship');
    if (outcome.outcome === 'conflict') {
      return views.render(request, reply.code(409), `${VIEWS}/conflict.njk`, {
        pageTitle: 'Someone else changed this relationship',
        what: 'this relationship',
        action,
        cancelHref: `/people/${id}#network`,
        rows: relationshipConflictRows(outcome.current, form.value),
        carried: carriedFields(body),
        currentVersion: outcome.current.version,
      });
    }
    return reply.redirect(`/people/${id}?saved=relationship#network`, 303);
  });
}
