import type { FastifyInstance } from 'fastify';
import { roleHasPermission } from '../../platform/access/roles.ts';
import { actorOf } from '../../platform/http/route-access.ts';
import { validateFormWithDates } from '../../platform/http/forms.ts';
import { notFound, recordMerged } from '../../platform/http/http-error.ts';
import { optionItems, INDIGENOUS_STATUS_LABELS, INDIGENOUS_STATUS_VALUES, INTERPRETER_LABELS, INTERPRETER_VALUES, SEX_LABELS, SEX_VALUES } from './person-options.ts';
import { detailsOf } from './person.ts';
import { registerPartRoutes } from './routes-parts.ts';
import { registerRelationshipRoutes } from './routes-relationships.ts';
import { carriedFields, formBody, VIEWS, type PeopleRouteDependencies } from './route-helpers.ts';
import { idParam } from '../../platform/http/params.ts';
import { EARLIEST_DATE, personDetailsSchema, personIdSchema, personUpdateSchema } from './schemas.ts';
import { personConflictRows, personFormValues, recordPage, savedMessage } from './view-models.ts';

const DOB_FIELD = [{ name: 'dateOfBirth', label: 'Date of birth', notInFuture: true, earliest: EARLIEST_DATE }] as const;
const PERSON_FORM = { booleans: ['dateOfBirthEstimated'], lists: ['languages'] } as const;

/** Back to where adding a person began: a network search, or finding a person. */
function addPersonBackLink(relateTo: unknown): string {
  const id = personIdSchema.safeParse(relateTo);
  return id.success ? `/people/${id.data}/relationships/new` : '/people';
}

export function registerPeopleRoutes(app: FastifyInstance, deps: PeopleRouteDependencies): void {
  const { views, people } = deps;

  const formOptions = (values: Record<string, unknown>) => ({
    sexItems: optionItems(SEX_VALUES, SEX_LABELS, values.sex as string | undefined),
    indigenousItems: optionItems(INDIGENOUS_STATUS_VALUES, INDIGENOUS_STATUS_LABELS, values.indigenousStatus as string | undefined),
    interpreterItems: optionItems(INTERPRETER_VALUES, INTERPRETER_LABELS, values.interpreterRequired as string | undefined),
  });

  app.get('/people/new', { config: { access: 'people:write' } }, async (request, reply) => {
    const relateTo = personIdSchema.safeParse((request.query as Record<string, unknown>).relateTo);
    const values = { relateTo: relateTo.success ? relateTo.data : '' };
    return views.render(request, reply, `${VIEWS}/person-form.njk`, { pageTitle: 'Add a person', action: '/people', values, ...formOptions(values), backLink: addPersonBackLink(values.relateTo) });
  });

  app.post('/people', { config: { access: 'people:write' } }, async (request, reply) => {
    const body = formBody(request);
    const form = validateFormWithDates(personDetailsSchema, body, DOB_FIELD, people.today(), PERSON_FORM);
    if (!form.ok) {
      return views.render(request, reply.code(400), `${VIEWS}/person-form.njk`, {
        pageTitle: 'Add a person', action: '/people', values: body, errors: form.errors, ...formOptions(body), backLink: addPersonBackLink(body.relateTo),
      });
    }
    const person = await people.create(actorOf(request), form.value);
    const relateTo = personIdSchema.safeParse(body.relateTo);
    if (relateTo.success) return reply.redirect(`/people/${relateTo.data}/relationships/new?personId=${person.id}`, 303);
    return reply.redirect(`/people/${person.id}?saved=created`, 303);
  });

  app.get('/people/:id', { config: { access: 'people:read' } }, async (request, reply) => {
    const actor = actorOf(request);
    const record = await people.viewRecord(actor, idParam(request, 'id'));
    if (!record) throw notFound('person');
    // A record merged into another is read-only: its facts are on the kept record now.
    const canWrite = roleHasPermission(actor.role, 'people:write') && !record.mergedInto;
    const page = recordPage(record, people.summarise(record.person), { canWrite, canMerge: roleHasPermission(actor.role, 'people:merge') });
    return views.render(request, reply, `${VIEWS}/person.njk`, {
      pageTitle: page.name,
      page,
      personId: record.person.id,
      savedMessage: savedMessage((request.query as Record<string, unknown>).saved),
      canWrite,
    });
  });

  app.get('/people/:id/edit', { config: { access: 'people:write' } }, async (request, reply) => {
    const person = await people.viewToChange(actorOf(request), idParam(request, 'id'));
    if (!person) throw notFound('person');
    if (person === 'merged') throw recordMerged();
    const values = { ...personFormValues(detailsOf(person)), version: person.version };
    return views.render(request, reply, `${VIEWS}/person-form.njk`, {
      pageTitle: 'Change details', action: `/people/${person.id}/edit`, values, ...formOptions(values), backLink: `/people/${person.id}`,
    });
  });

  app.post('/people/:id/edit', { config: { access: 'people:write' } }, async (request, reply) => {
    const id = idParam(request, 'id');
    const body = formBody(request);
    const renderForm = (errors?: unknown) =>
      views.render(request, reply.code(errors ? 400 : 200), `${VIEWS}/person-form.njk`, {
        pageTitle: 'Change details', action: `/people/${id}/edit`, values: body, errors, ...formOptions(body), backLink: `/people/${id}`,
      });
    const form = validateFormWithDates(personUpdateSchema, body, DOB_FIELD, people.today(), PERSON_FORM);
    if (!form.ok) return renderForm(form.errors);
    if (body._choice === 'edit') return renderForm();
    const { version, ...details } = form.value;
    const outcome = await people.update(actorOf(request), id, version, details);
    if (outcome.outcome === 'not_found') throw notFound('person');
    if (outcome.outcome === 'conflict') {
      return views.render(request, reply.code(409), `${VIEWS}/conflict.njk`, {
        pageTitle: 'Someone else changed this record',
        what: 'these details',
        action: `/people/${id}/edit`,
        cancelHref: `/people/${id}`,
        rows: personConflictRows(detailsOf(outcome.current), details),
        carried: carriedFields(body),
        currentVersion: outcome.current.version,
        savedAt: outcome.current.updatedAt,
        savedBy: outcome.savedBy,
      });
    }
    return reply.redirect(`/people/${id}?saved=details`, 303);
  });

  registerPartRoutes(app, deps);
  registerRelationshipRoutes(app, deps);
}
