import type { RoleName } from './roles.ts';

/** Who is acting, for whom, in which request: every service call, audit row and story event names one. */
export interface Actor {
  readonly userId: string;
  readonly organisationId: string;
  readonly role: RoleName;
  readonly displayName: string;
  readonly requestId: string;
}
