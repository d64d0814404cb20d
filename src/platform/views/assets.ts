import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import * as sass from 'sass';

const here = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.resolve(here, '../../..');
const govukDist = path.join(projectRoot, 'node_modules/govuk-frontend/dist/govuk');

interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

let compiledCss: Asset | undefined;

/**
 * Hearth's stylesheet: GOV.UK Frontend compiled with Hearth's settings (a system font instead of
 * GDS Transport, which only GOV.UK services may use) and Hearth's own few components.
 * Compiled once per process, in about a second, so there is no build step to forget.
 */
export function stylesheet(): Asset {
  compiledCss ??= {
    body: Buffer.from(
      sass.compile(path.join(here, 'styles/hearth.scss'), {
        loadPaths: [projectRoot],
        style: 'compressed',
        quietDeps: true,
      }).css,
    ),
    type: TYPES['.css']!,
  };
  return compiledCss;
}

/** Files served under /assets: ours first, then GOV.UK Frontend's fonts, images and script. */
function resolveAsset(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9._/-]*$/i.test(name) || name.includes('..')) return undefined;
  const candidates = [
    path.join(here, 'assets', name),
    path.join(govukDist, 'assets', name),
    name === 'govuk-frontend.min.js' ? path.join(govukDist, 'govuk-frontend.min.js') : undefined,
  ];
  return candidates.find((file): file is string => !!file && fs.existsSync(file) && fs.statSync(file).isFile());
}

const fileCache = new Map<string, Asset>();

function readAsset(name: string): Asset | undefined {
  const cached = fileCache.get(name);
  if (cached) return cached;
  const file = resolveAsset(name);
  if (!file) return undefined;
  const asset = { body: fs.readFileSync(file), type: TYPES[path.extname(file)] ?? 'application/octet-stream' };
  fileCache.set(name, asset);
  return asset;
}

export function assetVersion(): string {
  return createHash('sha256').update(stylesheet().body).digest('hex').slice(0, 12);
}

export function registerAssets(app: FastifyInstance): void {
  app.get('/assets/hearth.css', { config: { access: 'public' } }, async (_request, reply) => {
    const css = stylesheet();
    return reply.type(css.type).header('cache-control', 'public, max-age=3600').send(css.body);
  });
  app.get<{ Params: { '*': string } }>('/assets/*', { config: { access: 'public' } }, async (request, reply) => {
    const asset = readAsset(request.params['*']);
    if (!asset) return reply.callNotFound();
    return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
  });
}
