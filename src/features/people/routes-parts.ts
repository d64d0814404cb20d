import type { FastifyInstance } from 'fastify';
import { validateForm, validateFormWithDates } from '../../platform/http/forms.ts';
import { notFound, recordMerged } from '../../platform/http/http-error.ts';
import { actorOf } from '../../platform/http/route-access.ts';
import { IDENTIFIER_TYPE_LABELS, IDENTIFIER_TYPE_VALUES } from './identifiers.ts';
import { NAME_TYPE_LABELS, NAME_TYPE_VALUES, optionItems } from './person-options.ts';
import { fullName } from './person.ts';
import { carriedFields, formBody, VIEWS, type PeopleRouteDependencies } from './route-helpers.ts';
import { idParam } from '../../platform/http/params.ts';
import { addressSchema, addressUpdateSchema, EARLIEST_DATE, identifierSchema, nameSchema } from './schemas.ts';
import { addressConflictRows, addressFormValues } from './view-models.ts';

const ADDRESS_DATES = [
  { name: 'livedFrom', label: 'Date they moved in', notInFuture: true, earliest: EARLIEST_DATE },
  { name: 'livedUntil', label: 'Date they moved out', earliest: EARLIEST_DATE },
] as const;

/** The parts of a record added one at a time: other names, addresses, identifiers. */
export function registerPartRoutes(app: FastifyInstance, deps: PeopleRouteDependencies): void {
  const { views, people } = deps;

  /** The person a part belongs to, for headings; a missing person is a 404. */
  const personFor = async (request: Parameters<typeof actorOf>[0]) => {
    const person = await people.viewToChange(actorOf(request), idParam(request, 'id'));
    if (!person) throw notFound('person');
    if (person === 'merged') throw recordMerged();
    return { id: person.id, name: fullName(person) };
  };

  // Other names
  const nameForm = (values: Record<string, unknown>) => ({ nameTypeItems: optionItems(NAME_TYPE_VALUES, NAME_TYPE_LABELS, values.nameType as string) });

  app.get('/people/:id/names/new', { config: { access: 'people:write' } }, async (request, reply) => {
    const person = await personFor(request);
    return views.render(request, reply, `${VIEWS}/name-form.njk`, { pageTitle: 'Add another name', person, values: {}, ...nameForm({}), backLink: `/people/${person.id}` });
  });

  app.post('/people/:id/names', { config: { access: 'people:write' } }, async (request, reply) => {
    const id = idParam(request, 'id');
    const body = formBody(request);
    const form = validateForm(nameSchema, body);
    if (!form.ok) {
      const person = await personFor(request);
      return views.render(request, reply.code(400), `${VIEWS}/name-form.njk`, {
        pageTitle: 'Add another name', person, values: body, errors: form.errors, ...nameForm(body), backLink: `/people/${id}`,
      });
    }
    const outcome = await people.addName(actorOf(request), id, form.value);
    if (outcome.outcome === 'not_found') throw notFound('person');
    return reply.redirect(`/people/${id}?saved=name`, 303);
  });

  app.get('/people/:id/names/:partId/remove', { config: { access: 'people:write' } }, async (request, reply) => {
    const person = await personFor(request);
    return views.render(request, reply, `${VIEWS}/remove-part.njk`, {
      pageTitle: 'Remove this name', person, action: `/people/${person.id}/names/${idParam(request, 'partId')}/remove`, backLink: `/people/${person.id}`,
    });
  });

  app.post('/people/:id/names/:partId/remove', { config: { access: 'people:write' } }, async (request, reply) => {
    const id = idParam(request, 'id');
    const outcome = await people.removeName(actorOf(request), id, idParam(request, 'partId'));
    if (outcome.outcome === 'not_found') throw notFound('name');
    return reply.redirect(`/people/${id}?saved=name-removed`, 303);
  });

  // Addresses
  app.get('/people/:id/addresses/new', { config: { access: 'people:write' } }, async (request, reply) => {
    const person = await personFor(request);
    return views.render(request, reply, `${VIEWS}/address-form.njk`, {
      pageTitle: 'Add an address', person, action: `/people/${person.id}/addresses`, values: { endPrevious: 'yes' }, isNew: true, backLink: `/people/${person.id}`,
    });
  });

  app.post('/people/:id/addresses', { config: { access: 'people:write' } }, async (request, reply) => {
    const id = idParam(request, 'id');
    const body = formBody(request);
    const form = validateFormWithDates(addressSchema, body, ADDRESS_DATES, people.today());
    if (!form.ok) {
      const person = await personFor(request);
      return views.render(request, reply.code(400), `${VIEWS}/address-form.njk`, {
        pageTitle: 'Add an address', person, action: `/people/${id}/addresses`, values: body, errors: form.errors, isNew: true, backLink: `/people/${id}`,
      });
    }
    const outcome = await people.addAddress(actorOf(request), id, form.value, body.endPrevious === 'yes');
    if (outcome.outcome === 'not_found') throw notFound('person');
    return reply.redirect(`/people/${id}?saved=address`, 303);
  });

  app.get('/people/:id/addresses/:partId/edit', { config: { access: 'people:write' } }, async (request, reply) => {
    const person = await personFor(request);
    const addressId = idParam(request, 'partId');
    const address = await people.findAddress(actorOf(request), person.id, addressId);
    if (!address) throw notFound('address');
    return views.render(request, reply, `${VIEWS}/address-form.njk`, {
      pageTitle: 'Change an address', person, action: `/people/${person.id}/addresses/${addressId}/edit`, values: addressFormValues(address), backLink: `/people/${person.id}`,
    });
  });

  app.post('/people/:id/addresses/:partId/edit', { config: { access: 'people:write' } }, async (request, reply) => {
    const id = idParam(request, 'id');
    const addressId = idParam(request, 'partId');
    const body = formBody(request);
    const action = `/people/${id}/addresses/${addressId}/edit`;
    const form = validateFormWithDates(addressUpdateSchema, body, ADDRESS_DATES, people.today());
    if (!form.ok || body._choice === 'edit') {
      const person = await personFor(request);
      return views.render(request, reply.code(form.ok ? 200 : 400), `${VIEWS}/address-form.njk`, {
        pageTitle: 'Change an address', person, action, values: body, errors: form.ok ? undefined : form.errors, backLink: `/people/${id}`,
      });
    }
    const { version, ...address } = form.value;
    const outcome = await people.updateAddress(actorOf(request), id, addressId, version, address);
    if (outcome.outcome === 'not_found') throw notFound('address');
    if (outcome.outcome === 'conflict') {
      return views.render(request, reply.code(409), `${VIEWS}/conflict.njk`, {
        pageTitle: 'Someone else changed this address',
        what: 'this address',
        action,
        cancelHref: `/people/${id}`,
        rows: addressConflictRows(outcome.current, address),
        carried: carriedFields(body),
        currentVersion: outcome.current.version,
      });
    }
    return reply.redirect(`/people/${id}?saved=address`, 303);
  });

  // Identifiers
  const identifierForm = (values: Record<string, unknown>) => ({
    identifierTypeItems: optionItems(IDENTIFIER_TYPE_VALUES, IDENTIFIER_TYPE_LABELS, values.identifierType as string),
  });

  app.get('/people/:id/identifiers/new', { config: { access: 'people:write' } }, async (request, reply) => {
    const person = await personFor(request);
    return views.render(request, reply, `${VIEWS}/identifier-form.njk`, { pageTitle: 'Add an identifier', person, values: {}, ...identifierForm({}), backLink: `/people/${person.id}` });
  });

  app.post('/people/:id/identifiers', { config: { access: 'people:write' } }, async (request, reply) => {
    const id = idParam(request, 'id');
    const body = formBody(request);
    const form = validateForm(identifierSchema, body);
    if (!form.ok) {
      const person = await personFor(request);
      return views.render(request, reply.code(400), `${VIEWS}/identifier-form.njk`, {
        pageTitle: 'Add an identifier', person, values: body, errors: form.errors, ...identifierForm(body), backLink: `/people/${id}`,
      });
    }
    const outcome = await people.addIdentifier(actorOf(request), id, form.value);
    if (outcome.outcome === 'not_found') throw notFound('person');
    return reply.redirect(`/people/${id}?saved=identifier`, 303);
  });

  app.get('/people/:id/identifiers/:partId/remove', { config: { access: 'people:write' } }, async (request, reply) => {
    const person = await personFor(request);
    return views.render(request, reply, `${VIEWS}/remove-part.njk`, {
      pageTitle: 'Remove this identifier', person, action: `/people/${person.id}/identifiers/${idParam(request, 'partId')}/remove`, backLink: `/people/${person.id}`,
    });
  });

  app.post('/people/:id/identifiers/:partId/remove', { config: { access: 'people:write' } }, async (request, reply) => {
    const id = idParam(request, 'id');
    const outcome = await people.removeIdentifier(actorOf(request), id, idParam(request, 'partId'));
    if (outcome.outcome === 'not_found') throw notFound('identifier');
    return reply.redirect(`/people/${id}?saved=identifier-removed`, 303);
  });
}
