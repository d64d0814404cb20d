import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { validateForm, singleError, type FormErrors } from '../../platform/http/forms.ts';
import { notFound } from '../../platform/http/http-error.ts';
import { idParam } from '../../platform/http/params.ts';
import { actorOf } from '../../platform/http/route-access.ts';
import { choice, optionalText, versionField } from '../../platform/http/text-fields.ts';
import type { Views } from '../../platform/views/views.ts';
import type { PeopleService } from '../people/service.ts';
import type { MergeService } from './merge-service.ts';
import type { DuplicateQueueService } from './service.ts';
import { comparisonRows, doneMessage, pairRows, sideBySide, strengthText } from './view-models.ts';

const VIEWS = 'features/duplicates/views';

const decisionSchema = z.object({
  decision: choice(['keep_a', 'keep_b', 'different'] as const, 'Select whether they are the same person, and which record to keep'),
  reason: optionalText({ label: 'reason', max: 500, multiline: true }),
  version: versionField,
  versionA: versionField,
  versionB: versionField,
});

const REFUSALS: Record<string, string> = {
  same_person: 'A record cannot be merged with itself.',
  not_found: 'One of the records no longer exists.',
  already_merged: 'One of the records has already been merged. Go back to the queue: it shows only pairs still to review.',
  related: 'They are recorded as related to each other (for example as siblings), so they are not the same person. If that relationship is wrong, end it first.',
  stale: 'One of the records changed while you were reviewing. Look at them again before deciding.',
};

export function registerDuplicateRoutes(
  app: FastifyInstance,
  deps: { readonly views: Views; readonly queue: DuplicateQueueService; readonly merges: MergeService; readonly people: PeopleService },
): void {
  const { views, queue, merges } = deps;

  app.get('/people/duplicates', { config: { access: 'people:merge' } }, async (request, reply) => {
    const { pairs, total } = await queue.pending(actorOf(request));
    const done = doneMessage((request.query as Record<string, unknown> | undefined)?.done);
    return views.render(request, reply, `${VIEWS}/queue.njk`, { pageTitle: 'Possible duplicate records', rows: pairRows(pairs), total, done });
  });

  const renderPair = async (request: FastifyRequest, reply: FastifyReply, id: string, errors?: FormErrors, values: Record<string, unknown> = {}) => {
    const actor = actorOf(request);
    const pair = await queue.find(actor, id);
    if (!pair) throw notFound('pair');
    const [recordA, recordB] = await Promise.all([deps.people.viewRecord(actor, pair.a.id), deps.people.viewRecord(actor, pair.b.id)]);
    if (!recordA || !recordB) throw notFound('pair');
    return views.render(request, reply.code(errors ? 400 : 200), `${VIEWS}/pair.njk`, {
      rows: sideBySide(recordA, recordB),
      strength: strengthText(pair.decision, pair.probability).toLowerCase(),
      pageTitle: `Are ${pair.a.name} and ${pair.b.name} the same person?`,
      pair,
      comparisons: comparisonRows(pair.comparisons),
      values,
      errors,
      backLink: '/people/duplicates',
    });
  };

  app.get('/people/duplicates/:id', { config: { access: 'people:merge' } }, async (request, reply) => renderPair(request, reply, idParam(request, 'id')));

  app.post('/people/duplicates/:id', { config: { access: 'people:merge' } }, async (request, reply) => {
    const id = idParam(request, 'id');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = validateForm(decisionSchema, body);
    if (!form.ok) return renderPair(request, reply, id, form.errors, body);
    const actor = actorOf(request);
    const pair = await queue.find(actor, id);
    if (!pair) throw notFound('pair');
    if (pair.status !== 'pending') return renderPair(request, reply, id, singleError('decision', 'This pair has already been decided'), body);
    if (form.value.decision === 'different') {
      const outcome = await queue.dismiss(actor, id, form.value.version, form.value.reason);
      if (outcome === 'not_found') throw notFound('pair');
      if (outcome === 'stale') return renderPair(request, reply, id, singleError('decision', REFUSALS.stale!), body);
      return reply.redirect('/people/duplicates?done=dismissed', 303);
    }
    const keepA = form.value.decision === 'keep_a';
    const outcome = await merges.merge(actor, {
      survivorId: keepA ? pair.a.id : pair.b.id,
      mergedId: keepA ? pair.b.id : pair.a.id,
      survivorVersion: keepA ? form.value.versionA : form.value.versionB,
      mergedVersion: keepA ? form.value.versionB : form.value.versionA,
      reason: form.value.reason,
    });
    if (outcome.outcome === 'refused') return renderPair(request, reply, id, singleError('decision', REFUSALS[outcome.reason] ?? 'The merge was refused.'), body);
    return reply.redirect(`/people/${keepA ? pair.a.id : pair.b.id}?saved=merged`, 303);
  });

  app.get('/people/merges/:id/undo', { config: { access: 'people:merge' } }, async (request, reply) => {
    const merge = await merges.find(actorOf(request), idParam(request, 'id'));
    if (!merge) throw notFound('merge');
    return views.render(request, reply, `${VIEWS}/undo.njk`, { pageTitle: 'Undo this merge', merge, action: `/people/merges/${merge.id}/undo`, backLink: `/people/${merge.survivor.id}` });
  });

  app.post('/people/merges/:id/undo', { config: { access: 'people:merge' } }, async (request, reply) => {
    const outcome = await merges.unmerge(actorOf(request), idParam(request, 'id'));
    if (outcome.outcome === 'refused') {
      if (outcome.reason === 'not_found') throw notFound('merge');
      const message =
        outcome.reason === 'already_unmerged'
          ? 'This merge has already been undone.'
          : 'The record kept by this merge was itself merged into another record later: undo that merge first.';
      return views.render(request, reply.code(409), `${VIEWS}/undo.njk`, { pageTitle: 'Undo this merge', action: request.url, errors: singleError('undo', message) });
    }
    return reply.redirect(`/people/${outcome.survivorId}?saved=unmerged`, 303);
  });
}
