import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A timestamp column: read as Date, written as Date or ISO text; defaulted by the database. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A date column: 'YYYY-MM-DD' text on both engines. */
type DateText = string;
type Json = ColumnType<Record<string, unknown>, string | undefined, string>;

export interface OrganisationsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  created_at: CreatedAt;
}

export interface OfficesTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  created_at: CreatedAt;
}

export interface TeamsTable {
  id: Generated<string>;
  organisation_id: string;
  office_id: string;
  name: string;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  organisation_id: string;
  email: string;
  display_name: string;
  role: string;
  team_id: string | null;
  password_hash: string | null;
  mfa_secret: string | null;
  mfa_enabled_at: NullableTimestamp;
  mfa_last_time_step: number | null;
  failed_sign_in_count: Generated<number>;
  locked_until: NullableTimestamp;
  last_signed_in_at: NullableTimestamp;
  disabled_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  organisation_id: string;
  stage: 'mfa_required' | 'mfa_enrolment' | 'active';
  pending_mfa_secret: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  organisation_id: string;
  token_hash: string;
  label: string;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface InstanceSecretsTable {
  name: string;
  value: string;
  created_at: CreatedAt;
}

export interface PeopleTable {
  id: Generated<string>;
  organisation_id: string;
  given_names: Generated<string>;
  family_name: Generated<string>;
  preferred_name: string | null;
  date_of_birth: DateText | null;
  date_of_birth_estimated: Generated<boolean>;
  sex: Generated<string>;
  gender: string | null;
  indigenous_status: Generated<string>;
  ethnicity: string | null;
  languages: Generated<string[]>;
  interpreter_required: Generated<string>;
  created_at: CreatedAt;
  created_by: string | null;
  updated_at: Timestamp;
  updated_by: string | null;
  version: Generated<number>;
  external_id: string | null;
  merged_into_id: string | null;
}

export interface PersonNamesTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  name_type: string;
  given_names: string;
  family_name: string;
  created_at: CreatedAt;
  removed_at: NullableTimestamp;
  version: Generated<number>;
}

export interface PersonAddressesTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  line1: string;
  line2: string | null;
  suburb: string;
  state: string | null;
  postcode: string | null;
  country: string | null;
  lived_from: DateText | null;
  lived_until: DateText | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface PersonIdentifiersTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  identifier_type: string;
  value: string;
  created_at: CreatedAt;
  removed_at: NullableTimestamp;
  version: Generated<number>;
}

export interface RelationshipsTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  related_person_id: string;
  relationship_type: string;
  started_on: DateText | null;
  ended_on: DateText | null;
  notes: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface StoryEventsTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  occurred_at: Timestamp;
  kind: string;
  summary: string;
  details: Json;
  actor_user_id: string | null;
  created_at: CreatedAt;
}

export interface AuditEventsTable {
  id: string;
  organisation_id: string;
  seq: number;
  occurred_at: Timestamp;
  actor_user_id: string | null;
  actor_role: string | null;
  action: string;
  record_type: string;
  record_id: string | null;
  subject_person_id: string | null;
  request_id: string | null;
  details: Json;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadsTable {
  organisation_id: string;
  last_seq: number;
  last_hash: string;
}

export interface PersonIndexTable {
  person_id: string;
  organisation_id: string;
  /** The person's MatchRecord without its id, as the matcher compares it. */
  record: ColumnType<Record<string, unknown>, string, string>;
  /** The blocking keys as numbers (person_key_numbers, migration 0012): written through that function. */
  keys: number[];
}

export interface PersonNameCountsTable {
  organisation_id: string;
  kind: 'given' | 'family' | 'total';
  name: string;
  people: number;
}

export interface DuplicateCandidatesTable {
  id: Generated<string>;
  organisation_id: string;
  person_a_id: string;
  person_b_id: string;
  weight: number;
  probability: number;
  decision: 'match' | 'possible';
  comparisons: ColumnType<unknown[], string, string>;
  status: Generated<'pending' | 'merged' | 'dismissed'>;
  found_at: CreatedAt;
  decided_at: NullableTimestamp;
  decided_by: string | null;
  version: Generated<number>;
}

export interface PersonMergesTable {
  id: Generated<string>;
  organisation_id: string;
  survivor_id: string;
  merged_id: string;
  merged_at: Timestamp;
  merged_by: string;
  reason: string | null;
  alias_name_id: string | null;
  unmerged_at: NullableTimestamp;
  unmerged_by: string | null;
}

export interface PersonMergeMovesTable {
  merge_id: string;
  organisation_id: string;
  table_name: string;
  column_name: string;
  row_id: string;
}

export interface MatchingModelsTable {
  organisation_id: string;
  model: ColumnType<Record<string, unknown>, string, string>;
  learned_at: Timestamp;
  records: number;
  candidate_pairs: number;
}

export interface ReportsTable {
  id: Generated<string>;
  organisation_id: string;
  reference: string;
  channel: 'online' | 'phone' | 'agency';
  status: ColumnType<ReportStatus, ReportStatus | undefined, ReportStatus>;
  received_at: Timestamp;
  recorded_by: string | null;
  source_agency: string | null;
  what_happened: string;
  when_happened: string | null;
  child_words: string | null;
  safe_now: 'yes' | 'no' | 'not_known';
  people_of_concern: string | null;
  other_agencies: string | null;
  reporter_name: string | null;
  reporter_role: string | null;
  reporter_organisation: string | null;
  reporter_email: string | null;
  reporter_phone: string | null;
  status_token_hash: string | null;
  suspected_automated: Generated<boolean>;
  priority: string | null;
  due_at: NullableTimestamp;
  office_code: string | null;
  routed_by: 'postcode' | 'suburb' | null;
  unrouted_reason: string | null;
  outcome: string | null;
  decided_at: NullableTimestamp;
  version: Generated<number>;
}

export type ReportStatus = 'awaiting_screening' | 'awaiting_second_check' | 'screened_in' | 'screened_out';

export interface ReportChildrenTable {
  id: Generated<string>;
  organisation_id: string;
  report_id: string;
  position: number;
  given_names: string;
  family_name: string;
  date_of_birth: DateText | null;
  age_years: number | null;
  street: string | null;
  suburb: string | null;
  postcode: string | null;
  school: string | null;
  concerns: string[];
  person_id: string | null;
  linked_at: NullableTimestamp;
  linked_by: string | null;
}

export interface ReportScreeningsTable {
  id: Generated<string>;
  organisation_id: string;
  report_id: string;
  decided_by: string;
  decided_at: Timestamp;
  grounds_met: string[];
  risk_of_significant_harm: boolean;
  priority: string | null;
  outcome: string | null;
  rationale: string;
  second_check_reasons: string[];
  checked_by: string | null;
  checked_at: NullableTimestamp;
  check_agreed: boolean | null;
  check_note: string | null;
}

export interface ReportDraftsTable {
  id: Generated<string>;
  organisation_id: string;
  token_hash: string;
  channel: 'online' | 'phone';
  content: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
  expires_at: Timestamp;
  created_by: string | null;
  report_id: string | null;
}

export interface IdempotencyKeysTable {
  organisation_id: string;
  key: string;
  request_hash: string;
  report_id: string;
  created_at: Timestamp;
}

export interface OutboxEmailsTable {
  id: Generated<string>;
  organisation_id: string;
  to_address: string;
  subject: string;
  body: string;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  claimed_until: NullableTimestamp;
  last_error: string | null;
}

export interface Database {
  organisations: OrganisationsTable;
  offices: OfficesTable;
  teams: TeamsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  instance_secrets: InstanceSecretsTable;
  people: PeopleTable;
  person_names: PersonNamesTable;
  person_addresses: PersonAddressesTable;
  person_identifiers: PersonIdentifiersTable;
  relationships: RelationshipsTable;
  story_events: StoryEventsTable;
  audit_events: AuditEventsTable;
  audit_chain_heads: AuditChainHeadsTable;
  person_index: PersonIndexTable;
  person_name_counts: PersonNameCountsTable;
  duplicate_candidates: DuplicateCandidatesTable;
  person_merges: PersonMergesTable;
  person_merge_moves: PersonMergeMovesTable;
  matching_models: MatchingModelsTable;
  reports: ReportsTable;
  report_children: ReportChildrenTable;
  report_screenings: ReportScreeningsTable;
  report_drafts: ReportDraftsTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox_emails: OutboxEmailsTable;
}

export type PersonRow = Selectable<PeopleTable>;
export type NewPersonRow = Insertable<PeopleTable>;
export type PersonUpdate = Updateable<PeopleTable>;
export type UserRow = Selectable<UsersTable>;
export type RelationshipRow = Selectable<RelationshipsTable>;
export type AddressRow = Selectable<PersonAddressesTable>;
export type PersonNameRow = Selectable<PersonNamesTable>;
export type IdentifierRow = Selectable<PersonIdentifiersTable>;
export type StoryEventRow = Selectable<StoryEventsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
