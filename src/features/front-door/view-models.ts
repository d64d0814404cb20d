import type { FormErrors } from '../../platform/http/forms.ts';
import { longDate, longDateTime } from '../../platform/time.ts';
import type { PracticePack } from '../../practice/pack.ts';
import { MAX_CHILDREN, SAFE_NOW_LABELS, SAFE_NOW_VALUES } from './report.ts';
import { childCount, type ReportFields } from './report-form.ts';
import type { ReportListItem, ReportView } from './screening-service.ts';

const value = (fields: ReportFields, name: string) => {
  const v = fields[name];
  return typeof v === 'string' ? v : '';
};

/** The report form's page: each child's boxes with what was typed, the grounds as checkboxes, every answer kept. */
export function reportFormModel(pack: PracticePack, fields: ReportFields, errors: FormErrors | undefined) {
  const count = childCount(fields);
  const error = (name: string) => errors?.fields[name];
  const children = Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const p = `child${n}-`;
    const ticked = new Set(Array.isArray(fields[`${p}concerns`]) ? (fields[`${p}concerns`] as string[]) : []);
    const dobError = error(`${p}dateOfBirth`);
    return {
      n,
      prefix: p,
      values: Object.fromEntries(['givenNames', 'familyName', 'ageYears', 'street', 'suburb', 'postcode', 'school'].map((f) => [f, value(fields, `${p}${f}`)])),
      errors: Object.fromEntries(['givenNames', 'familyName', 'ageYears', 'street', 'suburb', 'postcode', 'school', 'concerns'].map((f) => [f, error(`${p}${f}`)])),
      dateOfBirth: {
        errorMessage: dobError,
        items: (['day', 'month', 'year'] as const).map((part) => ({
          id: `${p}dateOfBirth-${part}`,
          name: `${p}dateOfBirth-${part}`,
          label: part.charAt(0).toUpperCase() + part.slice(1),
          classes: `govuk-input--width-${part === 'year' ? 4 : 2}${dobError ? ' govuk-input--error' : ''}`,
          value: value(fields, `${p}dateOfBirth-${part}`),
        })),
      },
      concernItems: pack.grounds.map((g) => ({ value: g.code, text: g.title, hint: { text: g.description }, checked: ticked.has(g.code) })),
      removable: count > 1,
    };
  });
  return {
    childCount: count,
    children,
    canAddChild: count < MAX_CHILDREN,
    values: Object.fromEntries(
      ['whatHappened', 'whenHappened', 'childWords', 'peopleOfConcern', 'otherAgencies', 'reporter-name', 'reporter-role', 'reporter-organisation', 'reporter-email', 'reporter-phone'].map((f) => [f, value(fields, f)]),
    ),
    safeNowItems: SAFE_NOW_VALUES.map((v) => ({ value: v, text: SAFE_NOW_LABELS[v], checked: value(fields, 'safeNow') === v })),
  };
}

export const STATUS_TAGS: Record<string, { text: string; classes: string }> = {
  awaiting_screening: { text: 'Awaiting screening', classes: 'govuk-tag--blue' },
  awaiting_second_check: { text: 'Awaiting second check', classes: 'govuk-tag--purple' },
  screened_in: { text: 'Screened in', classes: 'govuk-tag--red' },
  screened_out: { text: 'Screened out', classes: 'govuk-tag--grey' },
};

/** How long ago, in words a busy worker scans: "35 minutes", "5 hours", "3 days". */
export function ageText(since: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.floor(hours / 24);
  return `${days} days`;
}

/** Due or overdue, as a tag every queue shows: overdue (red), due within a day (orange), or on time. */
export function dueTag(dueAt: Date | null, now: Date): { text: string; classes: string } | null {
  if (!dueAt) return null;
  const left = dueAt.getTime() - now.getTime();
  if (left < 0) return { text: 'Overdue', classes: 'govuk-tag--red' };
  if (left < 86_400_000) return { text: 'Due within a day', classes: 'govuk-tag--orange' };
  return { text: 'On time', classes: 'govuk-tag--green' };
}

export function listRows(items: readonly ReportListItem[], pack: PracticePack, now: Date, timeZone: string) {
  return items.map((item) => ({
    id: item.id,
    reference: item.reference,
    children: item.children || '(no name given)',
    channel: item.channel,
    received: longDateTime(item.receivedAt, timeZone),
    waiting: ageText(item.receivedAt, now),
    status: STATUS_TAGS[item.status],
    priority: item.priority ? (pack.priority(item.priority)?.label ?? item.priority) : null,
    due: item.dueAt ? longDateTime(item.dueAt, timeZone) : null,
    dueTag: dueTag(item.dueAt, now),
    suspectedAutomated: item.suspectedAutomated,
  }));
}

export function officeName(pack: PracticePack, code: string | null): string {
  if (code === null) return pack.unroutedQueue.name;
  return pack.offices.find((o) => o.code === code)?.name ?? code;
}

/** The report as summary lists: what was reported, about whom, and by whom. */
export function reportPage(report: ReportView, pack: PracticePack, timeZone: string, now: Date) {
  const ground = (code: string) => pack.grounds.find((g) => g.code === code)?.title ?? code;
  const row = (key: string, text: string | null | undefined) => ({ key: { text: key }, value: { text: text && text.length > 0 ? text : 'Not given' } });
  return {
    status: STATUS_TAGS[report.status],
    received: longDateTime(report.receivedAt, timeZone),
    waiting: ageText(report.receivedAt, now),
    channel: { online: 'Online report', phone: 'Phone report', agency: 'From an agency system' }[report.channel],
    children: report.children.map((c) => ({
      ...c,
      rows: [
        row('Name', c.name),
        row('Date of birth', c.dateOfBirth ? longDate(c.dateOfBirth) : c.ageYears !== null ? `Not known (age about ${c.ageYears})` : null),
        row('Address', [c.street, c.suburb, c.postcode].filter(Boolean).join(', ')),
        row('School or childcare', c.school),
        row('Concerns', c.concerns.map(ground).join('; ')),
      ],
      previous: c.previousReports.map((p) => ({
        id: p.id,
        reference: p.reference,
        received: longDateTime(p.receivedAt, timeZone),
        status: STATUS_TAGS[p.status],
      })),
    })),
    whatRows: [
      row('What was seen or heard', report.whatHappened),
      row('When', report.whenHappened),
      row("The child's own words", report.childWords),
      row('Is the child safe right now?', SAFE_NOW_LABELS[report.safeNow]),
      row('People of concern', report.peopleOfConcern),
      row('Other agencies involved', report.otherAgencies),
    ],
    reporterRows: [
      row('Name', report.reporter.name),
      row('Role', report.reporter.role),
      row('Organisation', report.reporter.organisation),
      row('Email', report.reporter.email),
      row('Phone', report.reporter.phone),
      ...(report.sourceAgency ? [row('Sent by agency system', report.sourceAgency)] : []),
      ...(report.recordedByName ? [row('Recorded by', report.recordedByName)] : []),
    ],
    decisionRows:
      report.status === 'screened_in'
        ? [
            row('Priority', pack.priority(report.priority ?? '')?.label ?? report.priority),
            row('Response due', report.dueAt ? longDateTime(report.dueAt, timeZone) : null),
            row('Queue', officeName(pack, report.officeCode)),
            ...(report.unroutedReason ? [row('Why no office', report.unroutedReason)] : []),
          ]
        : report.status === 'screened_out'
          ? [row('Outcome', pack.outcome(report.outcome)?.label ?? report.outcome)]
          : [],
    dueTag: dueTag(report.dueAt, now),
    screenings: report.screenings.map((s) => ({
      ...s,
      decided: longDateTime(s.decidedAt, timeZone),
      checked: s.checkedAt ? longDateTime(s.checkedAt, timeZone) : null,
      grounds: s.groundsMet.map(ground).join('; ') || 'None',
      decision: s.riskOfSignificantHarm
        ? `Risk of significant harm: ${pack.priority(s.priority ?? '')?.label.toLowerCase() ?? s.priority}`
        : `No risk of significant harm: ${pack.outcome(s.outcome)?.label.toLowerCase() ?? s.outcome}`,
    })),
  };
}
