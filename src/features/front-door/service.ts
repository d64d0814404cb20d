import { sql, type Kysely } from 'kysely';
import type { Database, ReportStatus } from '../../db/schema.ts';
import { asSystem, inOrganisation, type Trx } from '../../db/tenancy.ts';
import { recordAudit, type AuditWho } from '../../platform/audit/audit-log.ts';
import { dueAt } from '../../platform/calendar/timescales.ts';
import type { Clock } from '../../platform/clock.ts';
import { isoDateIn } from '../../platform/time.ts';
import type { PracticePack } from '../../practice/pack.ts';
import type { Channel, ReportInput } from './report.ts';
import type { ReportFields } from './report-form.ts';
import { officeFor } from './routing.ts';
import { newReference, newToken, statusTokenFor, tokenHash } from './tokens.ts';

/** A draft is kept this long after it was last saved. */
export const DRAFT_DAYS = 30;

export interface Submission {
  readonly channel: Channel;
  readonly report: ReportInput;
  /** The draft the report was written in (online and phone), so a second "Send" finds the same report. */
  readonly draftToken?: string;
  readonly sourceAgency?: string | null;
  /** The honeypot field was filled: kept and marked, never thrown away, in case a person did it. */
  readonly suspectedAutomated?: boolean;
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
}

export type SubmitOutcome =
  | { readonly outcome: 'received'; readonly reportId: string; readonly reference: string; readonly statusToken: string; readonly repeated: boolean }
  | { readonly outcome: 'key_reused' };

export interface DraftView {
  readonly fields: ReportFields;
  readonly savedAt: Date;
  readonly sentReference: string | null;
}

export interface ReportStatusView {
  readonly reference: string;
  readonly receivedAt: Date;
  readonly status: ReportStatus;
  readonly outcome: string | null;
  readonly decidedAt: Date | null;
}

/**
 * The front door's way in: drafts saved as they are typed, reports received from every channel with
 * a reference and a private status link, and the public status page's answer. One transaction per
 * call; the audit row last.
 */
export class FrontDoorService {
  private frontDoorId: string | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    readonly pack: PracticePack,
    /** The slug of the organisation that takes public reports; without one, the oldest organisation. */
    private readonly frontDoorSlug: string | undefined,
    /**
     * Hearth's public address, for links in emails. Never taken from a request's Host header, which
     * anyone can set: without it, emails give the reference and no link.
     */
    readonly publicUrl: string | undefined = undefined,
  ) {}

  today(): string {
    return isoDateIn(this.pack.timeZone, this.clock.now());
  }

  /** The organisation online reports go to, or undefined while there is none (the page then gives the phone number). */
  async frontDoorOrganisation(): Promise<string | undefined> {
    if (this.frontDoorId) return this.frontDoorId;
    const row = await asSystem(this.db, (trx) => {
      const query = trx.selectFrom('organisations').select('id');
      return (this.frontDoorSlug ? query.where('slug', '=', this.frontDoorSlug) : query.orderBy('created_at').orderBy('id')).executeTakeFirst();
    });
    this.frontDoorId = row?.id;
    return this.frontDoorId;
  }

  /**
   * Keeps what the reporter has typed so far. A draft already sent is not changed: its report answers
   * instead. A draft is changed only through its own channel and by whoever started it (a phone draft
   * by its worker; an online one by anyone with the link): otherwise it is not found.
   */
  async saveDraft(who: AuditWho, token: string, channel: 'online' | 'phone', fields: ReportFields): Promise<{ outcome: 'saved' } | { outcome: 'sent'; reference: string } | { outcome: 'not_found' }> {
    const now = this.clock.now();
    const expires = new Date(now.getTime() + DRAFT_DAYS * 86_400_000);
    return inOrganisation(this.db, who.organisationId, async (trx) => {
      const row = await trx
        .insertInto('report_drafts')
        .values({
          organisation_id: who.organisationId,
          token_hash: tokenHash(token),
          channel,
          content: JSON.stringify(fields),
          created_at: now,
          updated_at: now,
          expires_at: expires,
          created_by: who.userId,
        })
        .onConflict((oc) =>
          oc
            .column('token_hash')
            .doUpdateSet({ content: JSON.stringify(fields), updated_at: now, expires_at: expires })
            .where('report_drafts.report_id', 'is', null)
            .where('report_drafts.channel', '=', channel)
            .where(sql<boolean>`report_drafts.created_by is not distinct from ${who.userId}::uuid`),
        )
        .returning('id')
        .executeTakeFirst();
      if (row) return { outcome: 'saved' };
      // Not saved: the draft is sent already, or is not this channel's or this worker's.
      const existing = await trx
        .selectFrom('report_drafts as d')
        .leftJoin('reports as r', 'r.id', 'd.report_id')
        .select(['d.channel', 'd.created_by', 'r.reference'])
        .where('d.token_hash', '=', tokenHash(token))
        .executeTakeFirst();
      if (!existing?.reference || existing.channel !== channel || existing.created_by !== who.userId) return { outcome: 'not_found' };
      return { outcome: 'sent', reference: existing.reference };
    });
  }

  /** Drafts never sent and not saved for DRAFT_DAYS are deleted (run hourly): a link to one then finds nothing. */
  async purgeExpiredDrafts(): Promise<number> {
    const result = await asSystem(this.db, (trx) => trx.deleteFrom('report_drafts').where('report_id', 'is', null).where('expires_at', '<', this.clock.now()).executeTakeFirst());
    return Number(result.numDeletedRows);
  }

  /**
   * A draft by its private link: undefined if there is none (never saved, expired, another
   * organisation's), or if it was started in the other channel or (a phone draft) by another worker.
   */
  async openDraft(organisationId: string, token: string, channel: 'online' | 'phone', createdBy: string | null): Promise<DraftView | undefined> {
    return inOrganisation(this.db, organisationId, async (trx) => {
      const row = await trx
        .selectFrom('report_drafts as d')
        .leftJoin('reports as r', 'r.id', 'd.report_id')
        .select(['d.content', 'd.updated_at', 'd.expires_at', 'd.created_by', 'd.channel', 'r.reference'])
        .where('d.token_hash', '=', tokenHash(token))
        .executeTakeFirst();
      if (!row || (row.reference === null && row.expires_at <= this.clock.now())) return undefined;
      if (row.channel !== channel || row.created_by !== createdBy) return undefined;
      return { fields: row.content as ReportFields, savedAt: row.updated_at, sentReference: row.reference };
    });
  }

  /**
   * Receives a report: stored with its children, a reference and a status link, in one transaction
   * that commits before the answer is sent. The same draft, or the same idempotency key with the same
   * body, gives back the report already stored.
   */
  async submit(who: AuditWho, submission: Submission): Promise<SubmitOutcome> {
    const now = this.clock.now();
    return inOrganisation(this.db, who.organisationId, async (trx) => {
      if (submission.draftToken) {
        // Locks the draft row: two presses of "Send" queue here, and the second finds the first's report.
        const draft = await sql<{ report_id: string | null }>`select report_id from report_drafts where token_hash = ${tokenHash(submission.draftToken)} for update`.execute(trx);
        const existing = draft.rows[0]?.report_id;
        if (existing) return this.repeated(trx, existing, statusTokenFor(submission.draftToken));
      }
      if (submission.idempotency) {
        // The key's row is taken first (waiting for any transaction holding it), so a retry racing the first call is stored once.
        const taken = await trx
          .insertInto('idempotency_keys')
          .values({ organisation_id: who.organisationId, key: submission.idempotency.key, request_hash: submission.idempotency.requestHash, report_id: sql<string>`gen_random_uuid()`, created_at: now })
          .onConflict((oc) => oc.columns(['organisation_id', 'key']).doNothing())
          .returning('report_id')
          .executeTakeFirst();
        if (!taken) {
          const earlier = await trx
            .selectFrom('idempotency_keys')
            .select(['request_hash', 'report_id'])
            .where('key', '=', submission.idempotency.key)
            .executeTakeFirstOrThrow();
          if (earlier.request_hash !== submission.idempotency.requestHash) return { outcome: 'key_reused' };
          return this.repeated(trx, earlier.report_id, null);
        }
        return this.store(trx, who, submission, now, taken.report_id);
      }
      return this.store(trx, who, submission, now, undefined);
    });
  }

  private async repeated(trx: Trx, reportId: string, statusToken: string | null): Promise<SubmitOutcome> {
    const row = await trx.selectFrom('reports').select(['id', 'reference']).where('id', '=', reportId).executeTakeFirstOrThrow();
    return { outcome: 'received', reportId: row.id, reference: row.reference, statusToken: statusToken ?? '', repeated: true };
  }

  private async store(trx: Trx, who: AuditWho, submission: Submission, now: Date, id: string | undefined): Promise<SubmitOutcome> {
    const { report } = submission;
    const statusToken = submission.draftToken ? statusTokenFor(submission.draftToken) : newToken();
    const reference = await this.freeReference(trx);
    const row = await trx
      .insertInto('reports')
      .values({
        ...(id ? { id } : {}),
        organisation_id: who.organisationId,
        reference,
        channel: submission.channel,
        received_at: now,
        recorded_by: submission.channel === 'phone' ? who.userId : null,
        source_agency: submission.sourceAgency ?? null,
        what_happened: report.whatHappened,
        when_happened: report.whenHappened,
        child_words: report.childWords,
        safe_now: report.safeNow,
        people_of_concern: report.peopleOfConcern,
        other_agencies: report.otherAgencies,
        reporter_name: report.reporter.name,
        reporter_role: report.reporter.role,
        reporter_organisation: report.reporter.organisation,
        reporter_email: report.reporter.email,
        reporter_phone: report.reporter.phone,
        status_token_hash: tokenHash(statusToken),
        suspected_automated: submission.suspectedAutomated ?? false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('report_children')
      .values(
        report.children.map((child, i) => ({
          organisation_id: who.organisationId,
          report_id: row.id,
          position: i + 1,
          given_names: child.givenNames ?? '',
          family_name: child.familyName ?? '',
          date_of_birth: child.dateOfBirth,
          age_years: child.ageYears,
          street: child.street,
          suburb: child.suburb,
          postcode: child.postcode,
          school: child.school,
          concerns: child.concerns,
        })),
      )
      .execute();
    if (submission.draftToken) {
      // The report holds what was written now: the draft keeps only the link to it.
      await trx.updateTable('report_drafts').set({ report_id: row.id, updated_at: now, content: '{}' }).where('token_hash', '=', tokenHash(submission.draftToken)).execute();
    }
    if (report.reporter.email) {
      await this.queueEmail(trx, who.organisationId, report.reporter.email, `Your report ${reference} has been received`, [
        `Thank you for your report. Its reference is ${reference}.`,
        ...(this.publicUrl
          ? [
              `To see what happens next, use this private link: ${this.publicUrl}/report/status/${statusToken}`,
              "Anyone with the link can see the report's status (not what you wrote), so keep it to yourself.",
            ]
          : [`To see what happens next, use the private link shown when the report was sent, or call the ${this.pack.helpline.name} on ${this.pack.helpline.phone} and give the reference.`]),
        `If a child is in immediate danger, call ${this.pack.helpline.emergencyPhone}.`,
      ]);
    }
    await recordAudit(trx, who, {
      action: 'report.received',
      recordType: 'report',
      recordId: row.id,
      details: { channel: submission.channel, children: report.children.length, suspectedAutomated: submission.suspectedAutomated ?? false },
    });
    return { outcome: 'received', reportId: row.id, reference, statusToken, repeated: false };
  }

  private async freeReference(trx: Trx): Promise<string> {
    for (;;) {
      const reference = newReference();
      const taken = await trx.selectFrom('reports').select('id').where('reference', '=', reference).executeTakeFirst();
      if (!taken) return reference;
    }
  }

  async queueEmail(trx: Trx, organisationId: string, to: string, subject: string, paragraphs: readonly string[]): Promise<void> {
    await trx
      .insertInto('outbox_emails')
      .values({ organisation_id: organisationId, to_address: to, subject, body: paragraphs.join('\n\n'), created_at: this.clock.now() })
      .execute();
  }

  /**
   * What the status link shows: the reference, when it came, and where it stands. Nothing the reporter
   * did not already know. A status link may belong to any organisation (a phone or agency report): the
   * one lookup outside row-level security finds only which organisation holds the token's hash.
   */
  async statusOf(statusToken: string): Promise<ReportStatusView | undefined> {
    const hash = tokenHash(statusToken);
    const owner = await asSystem(this.db, (trx) => trx.selectFrom('reports').select('organisation_id').where('status_token_hash', '=', hash).executeTakeFirst());
    if (!owner) return undefined;
    return inOrganisation(this.db, owner.organisation_id, async (trx) => {
      const row = await trx
        .selectFrom('reports')
        .select(['reference', 'received_at', 'status', 'outcome', 'decided_at'])
        .where('status_token_hash', '=', hash)
        .executeTakeFirst();
      return row && { reference: row.reference, receivedAt: row.received_at, status: row.status, outcome: row.outcome, decidedAt: row.decided_at };
    });
  }

  /** The response due time for a priority, from the moment of the decision, counted in the pack's calendar. */
  dueFor(priorityCode: string, from: Date): Date {
    const priority = this.pack.priority(priorityCode);
    if (!priority) throw new Error(`no response priority ${priorityCode} in the ${this.pack.id} pack`);
    return dueAt(from, priority.timescale, this.pack.workingDays, this.pack.timeZone);
  }

  /** Which office's queue a screened-in report joins: the first child whose address an office covers. */
  route(children: readonly { postcode: string | null; suburb: string | null }[]) {
    const decisions = children.map((c) => officeFor(this.pack.offices, c));
    return decisions.find((d) => d.routed) ?? decisions[0] ?? officeFor(this.pack.offices, {});
  }
}
