import type { RoleName } from '../../config.ts';

export type { RoleName };

/** What a user may do. Every route names the one it needs; a role grants a fixed set. */
export type Permission =
  | 'people:read'
  | 'people:write'
  /** Merge duplicate records and undo merges: a team manager's decision. */
  | 'people:merge'
  | 'audit:read'
  | 'users:manage';

const grants: Record<RoleName, readonly Permission[]> = {
  helpline_worker: ['people:read', 'people:write'],
  caseworker: ['people:read', 'people:write'],
  team_manager: ['people:read', 'people:write', 'people:merge'],
  // Partner agencies see a child only once a referral to them is accepted (a later capability);
  // until then they hold no permission over people at all.
  partner_agency: [],
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
