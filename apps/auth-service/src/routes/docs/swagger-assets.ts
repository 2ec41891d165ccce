import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const distDir = dirname(require.resolve('swagger-ui-dist/package.json'));

/** The installed swagger-ui-dist version: part of every asset URL, so assets can be cached forever. */
export const SWAGGER_UI_VERSION: string = (require('swagger-ui-dist/package.json') as { version: string })
  .version;

// The only files the koa2-swagger-ui page loads (its template asks for `swagger-ui.min.css`,
// which swagger-ui-dist ships as `swagger-ui.css`).
const ASSETS: Record<string, { readonly file: string; readonly type: string }> = {
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'application/javascript; charset=utf-8' },
  'swagger-ui-standalone-preset.js': {
    file: 'swagger-ui-standalone-preset.js',
    type: 'application/javascript; charset=utf-8',
  },
  'swagger-ui.min.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'favicon-32x32.png': { file: 'favicon-32x32.png', type: 'image/png' },
};

const cache = new Map<string, Promise<Buffer>>();

/**
 * Reads one Swagger UI asset from swagger-ui-dist (cached after the first read).
 *
 * @param name - File name from the page (`swagger-ui-bundle.js`, …).
 * @returns Content and media type, or `undefined` for anything not on the list.
 */
export async function readSwaggerAsset(name: string): Promise<{ body: Buffer; type: string } | undefined> {
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (asset === undefined) return undefined;
  let body = cache.get(asset.file);
  if (body === undefined) {
    body = readFile(join(distDir, asset.file));
    cache.set(asset.file, body);
  }
  return { body: await body, type: asset.type };
}
