import type { RoleName } from '../../config.ts';

export type { RoleName };

/** What a user may do. Every route names the one it needs; a role grants a fixed set. */
export type Permission =
  | 'people:read'
  | 'people:write'
  /** Merge duplicate records and undo merges: a team manager's decision. */
  | 'people:merge'
  | 'audit:read'
  | 'users:manage'
  /** See reports, the front door's dashboard and its queues. */
  | 'reports:read'
  /** Record a report taken by phone, and identify the children it names. */
  | 'reports:record'
  /** Send a report from an agency's system through the API (POST /api/v1/reports): nothing to read back. */
  | 'reports:submit'
  /** Decide a report: screen it in or out, or give a second check. */
  | 'reports:screen';

const grants: Record<RoleName, readonly Permission[]> = {
  helpline_worker: ['people:read', 'people:write', 'reports:read', 'reports:record', 'reports:submit', 'reports:screen'],
  caseworker: ['people:read', 'people:write', 'reports:read'],
  team_manager: ['people:read', 'people:write', 'people:merge', 'reports:read', 'reports:record', 'reports:submit', 'reports:screen'],
  // Partner agencies see a child only once a referral to them is accepted (a later capability);
  // until then they hold no permission over people at all. Their systems (police, health,
  // education) may send reports, which they cannot read back.
  partner_agency: ['reports:submit'],
  administrator: ['users:manage', 'audit:read'],
  auditor: ['audit:read'],
};

export const ROLE_LABELS: Record<RoleName, string> = {
  helpline_worker: 'Helpline worker',
  caseworker: 'Caseworker',
  team_manager: 'Team manager',
  partner_agency: 'Partner agency user',
  administrator: 'Administrator',
  auditor: 'Auditor',
};

export function roleHasPermission(role: RoleName, permission: Permission): boolean {
  return grants[role].includes(permission);
}

export function permissionsOf(role: RoleName): readonly Permission[] {
  return grants[role];
}
