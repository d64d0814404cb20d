import { ROLE_LABELS } from '../../platform/access/roles.ts';
import type { StaffMember } from './service.ts';

const DONE_MESSAGES: Readonly<Record<string, string>> = {
  unlocked: 'The account is unlocked.',
  'mfa-reset': 'Two-step verification is reset and their sessions have ended.',
  disabled: 'The account is disabled and their sessions have ended.',
  enabled: 'The account is enabled.',
};

/** The banner after a change, by the `?done=` key its redirect carries; only keys Hearth sets. */
export function doneMessage(key: unknown): string | undefined {
  return typeof key === 'string' && Object.hasOwn(DONE_MESSAGES, key) ? DONE_MESSAGES[key] : undefined;
}

export type StaffStatus = 'Active' | 'Locked' | 'Disabled';

export function staffStatus(member: StaffMember, now: Date): StaffStatus {
  if (member.disabled) return 'Disabled';
  if (member.lockedUntil && member.lockedUntil.getTime() > now.getTime()) return 'Locked';
  return 'Active';
}

/** One row per account, with the actions that make sense for its state. */
export function staffRows(members: readonly StaffMember[], now: Date) {
  return members.map((m) => {
    const status = staffStatus(m, now);
    const actions = [
      status === 'Locked' ? { href: `/staff/${m.id}/unlock`, text: 'Unlock' } : undefined,
      m.mfaEnabled ? { href: `/staff/${m.id}/reset-code`, text: 'Reset two-step verification' } : undefined,
      status === 'Disabled' ? { href: `/staff/${m.id}/enable`, text: 'Enable' } : { href: `/staff/${m.id}/disable`, text: 'Disable' },
    ].filter((a): a is { href: string; text: string } => a !== undefined);
    return {
      id: m.id,
      name: m.displayName,
      email: m.email,
      role: ROLE_LABELS[m.role],
      team: m.teamName ?? '',
      mfa: m.mfaEnabled ? 'On' : 'Off',
      status,
      lastSignedInAt: m.lastSignedInAt,
      actions,
    };
  });
}
