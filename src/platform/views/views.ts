import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import { roleHasPermission, ROLE_LABELS, type Permission } from '../access/roles.ts';
import { longDate, longDateTime } from '../time.ts';
import { assetVersion, projectRoot } from './assets.ts';

export interface NavigationItem {
  readonly href: string;
  readonly text: string;
  readonly permission?: Permission;
}

/** The service navigation; an item shows only to roles that may use it. */
const NAVIGATION: readonly NavigationItem[] = [
  { href: '/front-door', text: 'Front door', permission: 'reports:read' },
  { href: '/people', text: 'Find a person', permission: 'people:read' },
  { href: '/people/new', text: 'Add a person', permission: 'people:write' },
  { href: '/people/duplicates', text: 'Possible duplicates', permission: 'people:merge' },
  { href: '/audit', text: 'Audit', permission: 'audit:read' },
  { href: '/staff', text: 'Staff accounts', permission: 'users:manage' },
  { href: '/account', text: 'Your account' },
];

export interface Views {
  render(request: FastifyRequest, reply: FastifyReply, template: string, context?: Record<string, unknown>): FastifyReply;
  renderString(template: string, context: Record<string, unknown>): string;
}

export function createViews(options: { readonly timeZone: string; readonly demo: boolean }): Views {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([path.join(projectRoot, 'src'), path.join(projectRoot, 'node_modules/govuk-frontend/dist')], {
      noCache: false,
    }),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  env.addFilter('longDate', (iso: string | null | undefined) => longDate(iso));
  env.addFilter('dateTime', (at: Date | string | null | undefined) => (at ? longDateTime(new Date(at), options.timeZone) : ''));
  env.addFilter('roleLabel', (role: keyof typeof ROLE_LABELS) => ROLE_LABELS[role] ?? role);
  env.addGlobal('serviceName', 'Hearth');
  env.addGlobal('demo', options.demo);

  return {
    render(request, reply, template, context = {}) {
      const session = request.session;
      const user = session?.stage === 'active' ? session.user : undefined;
      const currentPath = request.url.split('?')[0] ?? '/';
      const navigation = user
        ? NAVIGATION.filter((item) => !item.permission || roleHasPermission(user.role, item.permission)).map((item) => ({
            href: item.href,
            text: item.text,
            active: currentPath === item.href || (item.href === '/people' ? /^\/people\/(?!new|duplicates)/.test(currentPath) : item.href === '/front-door' && currentPath.startsWith('/front-door/')),
          }))
        : [];
      const html = env.render(template, {
        ...context,
        user,
        navigation,
        csrfToken: reply.generateCsrf(),
        cspNonce: (reply as FastifyReply & { cspNonce?: { script: string } }).cspNonce?.script,
        assetVersion: assetVersion(),
      });
      return reply.type('text/html; charset=utf-8').send(html);
    },
    renderString(template, context) {
      return env.render(template, context);
    },
  };
}
