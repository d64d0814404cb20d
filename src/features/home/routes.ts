import type { FastifyInstance } from 'fastify';
import { roleHasPermission } from '../../platform/access/roles.ts';
import type { Views } from '../../platform/views/views.ts';

const VIEWS = 'features/home/views';

export function registerHomeRoutes(app: FastifyInstance, views: Views): void {
  app.get('/', { config: { access: 'signed-in' } }, async (request, reply) => {
    const role = request.session!.user.role;
    return views.render(request, reply, `${VIEWS}/home.njk`, {
      pageTitle: 'Home',
      can: {
        readPeople: roleHasPermission(role, 'people:read'),
        writePeople: roleHasPermission(role, 'people:write'),
        readAudit: roleHasPermission(role, 'audit:read'),
        manageUsers: roleHasPermission(role, 'users:manage'),
        mergePeople: roleHasPermission(role, 'people:merge'),
      },
      isPartner: role === 'partner_agency',
    });
  });
  app.get('/accessibility', { config: { access: 'public' } }, async (request, reply) =>
    views.render(request, reply, `${VIEWS}/accessibility.njk`, { pageTitle: 'Accessibility statement' }),
  );
  app.get('/cookies', { config: { access: 'public' } }, async (request, reply) =>
    views.render(request, reply, `${VIEWS}/cookies.njk`, { pageTitle: 'Cookies' }),
  );
}
