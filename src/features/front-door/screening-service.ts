import { sql, type Kysely } from 'kysely';
import type { Database, ReportStatus } from '../../db/schema.ts';
import { inOrganisation, type Trx } from '../../db/tenancy.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { actorAsAuditWho, recordAudit } from '../../platform/audit/audit-log.ts';
import type { Clock } from '../../platform/clock.ts';
import { recordStoryEvent } from '../../platform/story/story-events.ts';
import { isoDateIn } from '../../platform/time.ts';
import { addDays, WEEKDAYS, weekdayOf } from '../../platform/calendar/civil-date.ts';
import { instantOf } from '../../platform/calendar/timescales.ts';
import type { FrontDoorService } from './service.ts';
import { secondCheckReasons } from './second-check.ts';
import { normaliseReference } from './tokens.ts';
import type { SafeNow } from './report.ts';

export interface ReportChild {
  readonly position: number;
  readonly name: string;
  readonly givenNames: string;
  readonly familyName: string;
  readonly dateOfBirth: string | null;
  readonly ageYears: number | null;
  readonly street: string | null;
  readonly suburb: string | null;
  readonly postcode: string | null;
  readonly school: string | null;
  readonly concerns: readonly string[];
  readonly personId: string | null;
  /** The person's record the child was identified as: the name and date of birth it holds, which may differ from the report's. */
  readonly person: { readonly name: string; readonly dateOfBirth: string | null } | null;
  /** Other reports about the linked child, newest first: the history a screener weighs. */
  readonly previousReports: readonly { id: string; reference: string; receivedAt: Date; status: ReportStatus; outcome: string | null; priority: string | null }[];
}

export interface Screening {
  readonly decidedBy: string;
  readonly decidedByName: string;
  readonly decidedAt: Date;
  readonly groundsMet: readonly string[];
  readonly riskOfSignificantHarm: boolean;
  readonly priority: string | null;
  readonly outcome: string | null;
  readonly rationale: string;
  readonly secondCheckReasons: readonly string[];
  readonly checkedByName: string | null;
  readonly checkedAt: Date | null;
  readonly checkAgreed: boolean | null;
  readonly checkNote: string | null;
}

export interface ReportView {
  readonly id: string;
  readonly reference: string;
  readonly channel: 'online' | 'phone' | 'agency';
  readonly status: ReportStatus;
  readonly receivedAt: Date;
  readonly recordedByName: string | null;
  readonly sourceAgency: string | null;
  readonly whatHappened: string;
  readonly whenHappened: string | null;
  readonly childWords: string | null;
  readonly safeNow: SafeNow;
  readonly peopleOfConcern: string | null;
  readonly otherAgencies: string | null;
  readonly reporter: { name: string | null; role: string | null; organisation: string | null; email: string | null; phone: string | null };
  readonly suspectedAutomated: boolean;
  readonly priority: string | null;
  readonly dueAt: Date | null;
  readonly officeCode: string | null;
  readonly unroutedReason: string | null;
  readonly outcome: string | null;
  readonly decidedAt: Date | null;
  readonly version: number;
  readonly children: readonly ReportChild[];
  readonly screenings: readonly Screening[];
}

export interface ScreeningDecision {
  readonly groundsMet: readonly string[];
  readonly riskOfSignificantHarm: boolean;
  readonly priority: string | null;
  readonly outcome: string | null;
  readonly rationale: string;
}

export type ScreenOutcome = 'screened_in' | 'screened_out' | 'awaiting_second_check' | 'not_found' | 'stale' | 'already_decided' | 'children_not_identified';
export type SecondCheckOutcome = 'screened_out' | 'returned' | 'not_found' | 'not_awaiting' | 'same_worker';

export interface ReportListItem {
  readonly id: string;
  readonly reference: string;
  readonly channel: string;
  readonly status: ReportStatus;
  readonly receivedAt: Date;
  readonly children: string;
  readonly priority: string | null;
  readonly dueAt: Date | null;
  readonly officeCode: string | null;
  readonly unroutedReason: string | null;
  readonly suspectedAutomated: boolean;
}

export interface Dashboard {
  readonly receivedToday: number;
  readonly receivedThisWeek: number;
  readonly awaitingScreening: number;
  /** The reports waiting longest for screening, oldest first (at most DASHBOARD_OLDEST). */
  readonly oldestAwaiting: readonly ReportListItem[];
  /** Each office's queue (null: the unrouted queue) with how many are in it and how many are overdue. */
  readonly queues: readonly { officeCode: string | null; count: number; overdue: number }[];
  readonly awaitingSecondCheck: number;
  readonly screenedInByPriority: readonly { code: string; count: number }[];
  readonly screenedOutByOutcome: readonly { code: string; count: number }[];
  readonly overdue: number;
  readonly unrouted: number;
  readonly total: number;
}

/** How many of the longest-waiting reports the dashboard lists; the count above the list is exact. */
export const DASHBOARD_OLDEST = 25;
/** The most one list page shows; a list that reaches it says so. */
export const LIST_LIMIT = 500;

const childName = (c: { given_names: string; family_name: string }) => [c.given_names, c.family_name].filter(Boolean).join(' ') || '(no name given)';

/**
 * The helpline's side of the front door: a report as a worker reads it, each child identified
 * against the person index, the screening decision and its second check, the queues and the dashboard.
 * Every view and change of a report is audited.
 */
export class ScreeningService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly frontDoor: FrontDoorService,
  ) {}

  private get pack() {
    return this.frontDoor.pack;
  }

  async view(actor: Actor, id: string): Promise<ReportView | undefined> {
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const report = await this.load(trx, id);
      if (report) await recordAudit(trx, actorAsAuditWho(actor), { action: 'report.viewed', recordType: 'report', recordId: id });
      return report;
    });
  }

  /** A report's children in order, each with the name and date of birth of the record it was identified as. */
  private childrenOf(trx: Trx, reportId: string) {
    return trx
      .selectFrom('report_children as c')
      .leftJoin('people as p', 'p.id', 'c.person_id')
      .selectAll('c')
      .select(['p.given_names as person_given_names', 'p.family_name as person_family_name', 'p.date_of_birth as person_date_of_birth'])
      .where('c.report_id', '=', reportId)
      .orderBy('c.position')
      .execute();
  }

  private async load(trx: Trx, id: string): Promise<ReportView | undefined> {
    const r = await trx
      .selectFrom('reports as r')
      .leftJoin('users as u', 'u.id', 'r.recorded_by')
      .selectAll('r')
      .select('u.display_name as recorded_by_name')
      .where('r.id', '=', id)
      .executeTakeFirst();
    if (!r) return undefined;
    const children = await this.childrenOf(trx, id);
    const personIds = children.flatMap((c) => (c.person_id ? [c.person_id] : []));
    const history =
      personIds.length === 0
        ? []
        : await trx
            .selectFrom('report_children as c')
            .innerJoin('reports as p', 'p.id', 'c.report_id')
            .select(['c.person_id', 'p.id', 'p.reference', 'p.received_at', 'p.status', 'p.outcome', 'p.priority'])
            .where('c.person_id', 'in', personIds)
            .where('p.id', '<>', id)
            .orderBy('p.received_at', 'desc')
            .execute();
    const screenings = await trx
      .selectFrom('report_screenings as s')
      .innerJoin('users as d', 'd.id', 's.decided_by')
      .leftJoin('users as k', 'k.id', 's.checked_by')
      .selectAll('s')
      .select(['d.display_name as decided_by_name', 'k.display_name as checked_by_name'])
      .where('s.report_id', '=', id)
      .orderBy('s.decided_at')
      .execute();
    return {
      id: r.id,
      reference: r.reference,
      channel: r.channel,
      status: r.status,
      receivedAt: r.received_at,
      recordedByName: r.recorded_by_name,
      sourceAgency: r.source_agency,
      whatHappened: r.what_happened,
      whenHappened: r.when_happened,
      childWords: r.child_words,
      safeNow: r.safe_now,
      peopleOfConcern: r.people_of_concern,
      otherAgencies: r.other_agencies,
      reporter: { name: r.reporter_name, role: r.reporter_role, organisation: r.reporter_organisation, email: r.reporter_email, phone: r.reporter_phone },
      suspectedAutomated: r.suspected_automated,
      priority: r.priority,
      dueAt: r.due_at,
      officeCode: r.office_code,
      unroutedReason: r.unrouted_reason,
      outcome: r.outcome,
      decidedAt: r.decided_at,
      version: r.version,
      children: children.map((c) => ({
        position: c.position,
        name: childName(c),
        givenNames: c.given_names,
        familyName: c.family_name,
        dateOfBirth: c.date_of_birth,
        ageYears: c.age_years,
        street: c.street,
        suburb: c.suburb,
        postcode: c.postcode,
        school: c.school,
        concerns: c.concerns,
        personId: c.person_id,
        person: c.person_id ? { name: childName({ given_names: c.person_given_names ?? '', family_name: c.person_family_name ?? '' }), dateOfBirth: c.person_date_of_birth } : null,
        previousReports: history
          .filter((h) => h.person_id === c.person_id)
          .map((h) => ({ id: h.id, reference: h.reference, receivedAt: h.received_at, status: h.status, outcome: h.outcome, priority: h.priority })),
      })),
      screenings: screenings.map((s) => ({
        decidedBy: s.decided_by,
        decidedByName: s.decided_by_name,
        decidedAt: s.decided_at,
        groundsMet: s.grounds_met,
        riskOfSignificantHarm: s.risk_of_significant_harm,
        priority: s.priority,
        outcome: s.outcome,
        rationale: s.rationale,
        secondCheckReasons: s.second_check_reasons,
        checkedByName: s.checked_by_name,
        checkedAt: s.checked_at,
        checkAgreed: s.check_agreed,
        checkNote: s.check_note,
      })),
    };
  }

  /** A report's id from its reference, typed however the caller read it out. */
  async findByReference(actor: Actor, typed: string): Promise<string | undefined> {
    const reference = normaliseReference(typed);
    if (!reference) return undefined;
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const row = await trx.selectFrom('reports').select('id').where('reference', '=', reference).executeTakeFirst();
      return row?.id;
    });
  }

  /** Links a child named in a report to a person's record, and writes the report on that child's story. */
  /**
   * Links a child named in a report to a person's record, and writes the report on that child's story.
   * Only while the report awaits screening: the second check and the decision rest on who the children
   * are. Linking again (a correction) says so on the first person's story, and moves the report's
   * version on, so a decision begun before the change is refused as stale.
   */
  async linkChild(actor: Actor, reportId: string, position: number, personId: string): Promise<'linked' | 'not_found' | 'no_person' | 'decided'> {
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const report = await trx.selectFrom('reports').select(['reference', 'status']).where('id', '=', reportId).forUpdate().executeTakeFirst();
      if (!report) return 'not_found';
      if (report.status !== 'awaiting_screening') return 'decided';
      const person = await trx.selectFrom('people').select(['id', 'merged_into_id']).where('id', '=', personId).executeTakeFirst();
      if (!person || person.merged_into_id !== null) return 'no_person';
      const child = await trx.selectFrom('report_children').select(['id', 'person_id']).where('report_id', '=', reportId).where('position', '=', position).executeTakeFirst();
      if (!child) return 'not_found';
      if (child.person_id === personId) return 'linked';
      await trx.updateTable('report_children').set({ person_id: personId, linked_at: this.clock.now(), linked_by: actor.userId }).where('id', '=', child.id).execute();
      await trx.updateTable('reports').set({ version: sql<number>`version + 1` }).where('id', '=', reportId).execute();
      if (child.person_id) {
        await recordStoryEvent(trx, actor, { personId: child.person_id, kind: 'report.linked', summary: `No longer named in report ${report.reference}: another record was chosen`, details: { reportId } });
      }
      await recordStoryEvent(trx, actor, { personId, kind: 'report.linked', summary: `Named in report ${report.reference}`, details: { reportId } });
      await recordAudit(trx, actorAsAuditWho(actor), { action: 'report.child_linked', recordType: 'report', recordId: reportId, subjectPersonId: personId, details: { position } });
      return 'linked';
    });
  }

  /**
   * Records a screening decision. Screened in: the priority sets the due time and the child's address
   * the office's queue. Screened out: final, unless the pack's thresholds call for a second worker's check.
   */
  async screen(actor: Actor, reportId: string, expectedVersion: number, decision: ScreeningDecision): Promise<ScreenOutcome> {
    const now = this.clock.now();
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const report = await trx.selectFrom('reports').select(['id', 'reference', 'status', 'version', 'reporter_email']).where('id', '=', reportId).forUpdate().executeTakeFirst();
      if (!report) return 'not_found';
      if (report.status !== 'awaiting_screening') return 'already_decided';
      if (report.version !== expectedVersion) return 'stale';
      const children = await this.childrenOf(trx, reportId);
      if (children.some((c) => c.person_id === null)) return 'children_not_identified';
      let status: ReportStatus;
      let reasons: string[] = [];
      if (decision.riskOfSignificantHarm) {
        status = 'screened_in';
        const route = this.frontDoor.route(children);
        await trx
          .updateTable('reports')
          .set({
            status,
            priority: decision.priority,
            due_at: this.frontDoor.dueFor(decision.priority!, now),
            office_code: route.routed ? route.office.code : null,
            routed_by: route.routed ? route.by : null,
            unrouted_reason: route.routed ? null : route.reason,
            outcome: null,
            decided_at: now,
            version: sql<number>`version + 1`,
          })
          .where('id', '=', reportId)
          .execute();
      } else {
        reasons = secondCheckReasons(await this.childrenForCheck(trx, children, now), this.pack.secondCheck, isoDateIn(this.pack.timeZone, now));
        status = reasons.length > 0 ? 'awaiting_second_check' : 'screened_out';
        await trx
          .updateTable('reports')
          .set({ status, outcome: decision.outcome, decided_at: status === 'screened_out' ? now : null, version: sql<number>`version + 1` })
          .where('id', '=', reportId)
          .execute();
      }
      await trx
        .insertInto('report_screenings')
        .values({
          organisation_id: actor.organisationId,
          report_id: reportId,
          decided_by: actor.userId,
          decided_at: now,
          grounds_met: [...decision.groundsMet],
          risk_of_significant_harm: decision.riskOfSignificantHarm,
          priority: decision.riskOfSignificantHarm ? decision.priority : null,
          outcome: decision.riskOfSignificantHarm ? null : decision.outcome,
          rationale: decision.rationale,
          second_check_reasons: reasons,
        })
        .execute();
      for (const child of children) {
        const summary =
          status === 'screened_in'
            ? `Report ${report.reference} screened in: ${this.pack.priority(decision.priority!)?.label.toLowerCase() ?? decision.priority}`
            : status === 'screened_out'
              ? `Report ${report.reference} screened out: ${this.outcomeLabel(decision.outcome)}`
              : `Report ${report.reference} proposed for screening out: waiting for a second check`;
        await recordStoryEvent(trx, actor, { personId: child.person_id!, kind: 'report.screened', summary, details: { reportId, status } });
      }
      if (status !== 'awaiting_second_check') await this.tellReporter(trx, actor.organisationId, report.reporter_email, report.reference, status, decision.outcome);
      await recordAudit(trx, actorAsAuditWho(actor), {
        action: 'report.screened',
        recordType: 'report',
        recordId: reportId,
        details: { status, priority: decision.priority, outcome: decision.outcome, secondCheck: reasons.length > 0 },
      });
      return status;
    });
  }

  private async childrenForCheck(
    trx: Trx,
    children: readonly { person_id: string | null; given_names: string; family_name: string; date_of_birth: string | null; age_years: number | null; person_date_of_birth: string | null }[],
    now: Date,
  ) {
    const since = new Date(now.getTime());
    since.setUTCMonth(since.getUTCMonth() - this.pack.secondCheck.reportsWithinMonths);
    const counts = await trx
      .selectFrom('report_children as c')
      .innerJoin('reports as r', 'r.id', 'c.report_id')
      .select(['c.person_id', sql<number>`count(distinct r.id)::int`.as('reports')])
      .where('c.person_id', 'in', children.map((c) => c.person_id!))
      .where('r.received_at', '>=', since)
      .groupBy('c.person_id')
      .execute();
    return children.map((c) => ({
      name: childName(c),
      // What the report says, else what the child's record knows: a baby reported without a date of birth is still a baby.
      dateOfBirth: c.date_of_birth ?? (c.age_years === null ? c.person_date_of_birth : null),
      ageYears: c.age_years,
      reportsInWindow: counts.find((k) => k.person_id === c.person_id)?.reports ?? 1,
    }));
  }

  /** A second worker agrees (the report is screened out) or does not (it goes back to be screened again, with their note). */
  async secondCheck(actor: Actor, reportId: string, agree: boolean, note: string | null): Promise<SecondCheckOutcome> {
    const now = this.clock.now();
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const report = await trx.selectFrom('reports').select(['id', 'reference', 'status', 'outcome', 'reporter_email']).where('id', '=', reportId).forUpdate().executeTakeFirst();
      if (!report) return 'not_found';
      if (report.status !== 'awaiting_second_check') return 'not_awaiting';
      const screening = await trx
        .selectFrom('report_screenings')
        .select(['id', 'decided_by'])
        .where('report_id', '=', reportId)
        .where('checked_by', 'is', null)
        .orderBy('decided_at', 'desc')
        .executeTakeFirstOrThrow();
      if (screening.decided_by === actor.userId) return 'same_worker';
      await trx.updateTable('report_screenings').set({ checked_by: actor.userId, checked_at: now, check_agreed: agree, check_note: note }).where('id', '=', screening.id).execute();
      const status: ReportStatus = agree ? 'screened_out' : 'awaiting_screening';
      await trx
        .updateTable('reports')
        .set({ status, outcome: agree ? report.outcome : null, decided_at: agree ? now : null, version: sql<number>`version + 1` })
        .where('id', '=', reportId)
        .execute();
      const linked = await trx.selectFrom('report_children').select('person_id').where('report_id', '=', reportId).where('person_id', 'is not', null).execute();
      for (const { person_id } of linked) {
        const summary = agree
          ? `Report ${report.reference} screened out after a second check: ${this.outcomeLabel(report.outcome)}`
          : `Report ${report.reference} sent back to be screened again after a second check`;
        await recordStoryEvent(trx, actor, { personId: person_id!, kind: 'report.screened', summary, details: { reportId, agreed: agree } });
      }
      if (agree) await this.tellReporter(trx, actor.organisationId, report.reporter_email, report.reference, status, report.outcome);
      await recordAudit(trx, actorAsAuditWho(actor), { action: 'report.second_checked', recordType: 'report', recordId: reportId, details: { agreed: agree } });
      return agree ? 'screened_out' : 'returned';
    });
  }

  outcomeLabel(code: string | null): string {
    return this.pack.outcome(code)?.label.toLowerCase() ?? String(code);
  }

  /** The words a reporter reads about their report: never the reasons, the priority or who decided. */
  reporterStatus(status: ReportStatus, outcome: string | null): string {
    if (status === 'screened_in') return this.pack.screening.screenedIn.reporterStatus;
    if (status === 'screened_out') return this.pack.outcome(outcome)?.reporterStatus ?? this.pack.screening.received;
    return this.pack.screening.received;
  }

  private async tellReporter(trx: Trx, organisationId: string, email: string | null, reference: string, status: ReportStatus, outcome: string | null) {
    if (!email) return;
    await this.frontDoor.queueEmail(trx, organisationId, email, `An update on your report ${reference}`, [
      `The helpline has looked at your report ${reference}.`,
      this.reporterStatus(status, outcome),
      'You can see this at any time with the private link you were given when you made the report.',
    ]);
  }

  /** Reports waiting for a decision (screening or a second check), oldest first. */
  async awaiting(actor: Actor): Promise<ReportListItem[]> {
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const items = await this.list(trx, (q) => q.where('r.status', 'in', ['awaiting_screening', 'awaiting_second_check']).orderBy('r.received_at'));
      await recordAudit(trx, actorAsAuditWho(actor), { action: 'reports.listed', recordType: 'report', details: { list: 'awaiting', shown: items.length } });
      return items;
    });
  }

  /** An office's queue of screened-in reports ('unrouted': the reports no office covers), soonest due first. */
  async queue(actor: Actor, officeCode: string | null): Promise<ReportListItem[]> {
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const items = await this.list(trx, (q) => {
        const inQueue = q.where('r.status', '=', 'screened_in');
        return (officeCode === null ? inQueue.where('r.office_code', 'is', null) : inQueue.where('r.office_code', '=', officeCode)).orderBy('r.due_at');
      });
      await recordAudit(trx, actorAsAuditWho(actor), { action: 'reports.listed', recordType: 'report', details: { list: officeCode ?? 'unrouted', shown: items.length } });
      return items;
    });
  }

  private async list(trx: Trx, narrow: (q: ReturnType<ScreeningService['baseList']>) => ReturnType<ScreeningService['baseList']>, limit = LIST_LIMIT): Promise<ReportListItem[]> {
    const rows = await narrow(this.baseList(trx)).limit(limit).execute();
    return rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      channel: r.channel,
      status: r.status,
      receivedAt: r.received_at,
      children: r.children ?? '',
      priority: r.priority,
      dueAt: r.due_at,
      officeCode: r.office_code,
      unroutedReason: r.unrouted_reason,
      suspectedAutomated: r.suspected_automated,
    }));
  }

  private baseList(trx: Trx) {
    return trx
      .selectFrom('reports as r')
      .select([
        'r.id',
        'r.reference',
        'r.channel',
        'r.status',
        'r.received_at',
        'r.priority',
        'r.due_at',
        'r.office_code',
        'r.unrouted_reason',
        'r.suspected_automated',
        sql<string | null>`(select string_agg(nullif(trim(c.given_names || ' ' || c.family_name), ''), ', ' order by c.position) from report_children c where c.report_id = r.id)`.as('children'),
      ]);
  }

  /** Every report accounted for: what came in, what waits (with its age), what was decided, what is late. */
  async dashboard(actor: Actor): Promise<Dashboard> {
    const now = this.clock.now();
    const tz = this.pack.timeZone;
    const today = isoDateIn(tz, now);
    const monday = addDays(today, -WEEKDAYS.indexOf(weekdayOf(today)));
    const startOfToday = instantOf(today, '00:00', tz);
    const startOfWeek = instantOf(monday, '00:00', tz);
    return inOrganisation(this.db, actor.organisationId, async (trx) => {
      const counts = await trx
        .selectFrom('reports')
        .select([
          sql<number>`count(*) filter (where received_at >= ${startOfToday})::int`.as('today'),
          sql<number>`count(*) filter (where received_at >= ${startOfWeek})::int`.as('week'),
          sql<number>`count(*) filter (where status = 'awaiting_screening')::int`.as('awaiting'),
          sql<number>`count(*) filter (where status = 'awaiting_second_check')::int`.as('second'),
          sql<number>`count(*) filter (where status = 'screened_in' and due_at < ${now})::int`.as('overdue'),
          sql<number>`count(*) filter (where status = 'screened_in' and office_code is null)::int`.as('unrouted'),
          sql<number>`count(*)::int`.as('total'),
        ])
        .executeTakeFirstOrThrow();
      const byPriority = await trx.selectFrom('reports').select(['priority', sql<number>`count(*)::int`.as('n')]).where('status', '=', 'screened_in').groupBy('priority').execute();
      const byOutcome = await trx.selectFrom('reports').select(['outcome', sql<number>`count(*)::int`.as('n')]).where('status', '=', 'screened_out').groupBy('outcome').execute();
      const awaiting = await this.list(trx, (q) => q.where('r.status', '=', 'awaiting_screening').orderBy('r.received_at'), DASHBOARD_OLDEST);
      const queues = await trx
        .selectFrom('reports')
        .select(['office_code', sql<number>`count(*)::int`.as('n'), sql<number>`count(*) filter (where due_at < ${now})::int`.as('overdue')])
        .where('status', '=', 'screened_in')
        .groupBy('office_code')
        .execute();
      await recordAudit(trx, actorAsAuditWho(actor), { action: 'front_door.dashboard_viewed', recordType: 'report' });
      return {
        receivedToday: counts.today,
        receivedThisWeek: counts.week,
        awaitingScreening: counts.awaiting,
        oldestAwaiting: awaiting,
        queues: [...this.pack.offices.map((o) => o.code), null].map((code) => {
          const found = queues.find((q) => q.office_code === code);
          return { officeCode: code, count: found?.n ?? 0, overdue: found?.overdue ?? 0 };
        }),
        awaitingSecondCheck: counts.second,
        screenedInByPriority: this.pack.responsePriorities.map((p) => ({ code: p.code, count: byPriority.find((b) => b.priority === p.code)?.n ?? 0 })),
        screenedOutByOutcome: this.pack.screening.screenedOutOutcomes.map((o) => ({ code: o.code, count: byOutcome.find((b) => b.outcome === o.code)?.n ?? 0 })),
        overdue: counts.overdue,
        unrouted: counts.unrouted,
        total: counts.total,
      };
    });
  }
}
