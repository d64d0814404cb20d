import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit row that its hash covers: everything but the hash itself. */
export interface AuditEntryContent {
  readonly id: string;
  readonly organisationId: string;
  readonly seq: number;
  readonly occurredAt: Date;
  readonly actorUserId: string | null;
  readonly actorRole: string | null;
  readonly action: string;
  readonly recordType: string;
  readonly recordId: string | null;
  readonly subjectPersonId: string | null;
  readonly requestId: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
}

export interface ChainedAuditEntry extends AuditEntryContent {
  readonly hash: string;
}

export function computeAuditHash(entry: AuditEntryContent): string {
  const content = JSON.stringify([
    entry.prevHash,
    entry.id,
    entry.organisationId,
    entry.seq,
    entry.occurredAt.toISOString(),
    entry.actorUserId,
    entry.actorRole,
    entry.action,
    entry.recordType,
    entry.recordId,
    entry.subjectPersonId,
    entry.requestId,
    canonical(entry.details),
  ]);
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** Key order is not kept by jsonb, so the hash covers a copy with keys sorted at every depth. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export type ChainProblem =
  | { readonly kind: 'altered'; readonly entry: ChainedAuditEntry }
  | { readonly kind: 'missing-before'; readonly entry: ChainedAuditEntry; readonly expectedSeq: number }
  | { readonly kind: 'broken-link'; readonly entry: ChainedAuditEntry }
  | { readonly kind: 'head-mismatch'; readonly lastSeq: number; readonly headSeq: number };

/**
 * Checks one organisation's chain, fed in seq order in batches. It stops at the first bad row:
 * after that, everything would be reported bad too.
 */
export class AuditChainVerifier {
  private expectedSeq = 1;
  private previousHash = GENESIS_HASH;
  private problem: ChainProblem | undefined;
  checked = 0;

  /** Returns false once a problem is found. */
  accept(entry: ChainedAuditEntry): boolean {
    if (this.problem) return false;
    if (entry.seq !== this.expectedSeq) {
      this.problem = { kind: 'missing-before', entry, expectedSeq: this.expectedSeq };
    } else if (computeAuditHash(entry) !== entry.hash) {
      this.problem = { kind: 'altered', entry };
    } else if (entry.prevHash !== this.previousHash) {
      this.problem = { kind: 'broken-link', entry };
    }
    if (this.problem) return false;
    this.checked++;
    this.expectedSeq++;
    this.previousHash = entry.hash;
    return true;
  }

  /** The head records the newest seq and hash: rows removed from the end show up here. */
  finish(head: { lastSeq: number; lastHash: string } | undefined): ChainProblem | undefined {
    if (this.problem) return this.problem;
    const lastSeq = this.expectedSeq - 1;
    const headSeq = head?.lastSeq ?? 0;
    const headHash = head?.lastHash ?? GENESIS_HASH;
    if (headSeq !== lastSeq || headHash !== this.previousHash) {
      this.problem = { kind: 'head-mismatch', lastSeq, headSeq };
    }
    return this.problem;
  }
}

export function describeProblem(problem: ChainProblem): string {
  switch (problem.kind) {
    case 'altered':
      return `row ${problem.entry.id} (seq ${problem.entry.seq}) was altered: its content no longer matches its hash`;
    case 'missing-before':
      return problem.entry.seq > problem.expectedSeq
        ? `row ${problem.entry.id} (seq ${problem.entry.seq}) follows a gap: rows from seq ${problem.expectedSeq} were removed`
        : `row ${problem.entry.id} (seq ${problem.entry.seq}) is out of order: expected seq ${problem.expectedSeq}`;
    case 'broken-link':
      return `row ${problem.entry.id} (seq ${problem.entry.seq}) does not follow the row before it: it was inserted out of order or the row before it was replaced`;
    case 'head-mismatch':
      return problem.headSeq > problem.lastSeq
        ? `the chain ends at seq ${problem.lastSeq} but ${problem.headSeq} rows were written: rows after seq ${problem.lastSeq} were removed`
        : `the chain ends at seq ${problem.lastSeq} but its recorded head is seq ${problem.headSeq}: rows were inserted outside the audit log`;
  }
}
