import { koaSwagger } from 'koa2-swagger-ui';
import { z } from 'zod';
import { NotFoundProblem } from '../../errors/request-problems.js';
import { defineRoute } from '../../http/route.js';
import type { OpenApiDocument } from '../../openapi/document.js';
import { readSwaggerAsset, SWAGGER_UI_VERSION } from './swagger-assets.js';

export const SCHEMA_PATH = '/api/schema';
export const DOCS_PATH = '/api/docs';
const ASSETS_PATH = `${DOCS_PATH}/assets`;

/** `GET /api/schema`: the OpenAPI document. `document` is read lazily: it is built from this very table. */
export function schemaRoute(document: () => OpenApiDocument) {
  return defineRoute({
    operationId: 'getOpenApiDocument',
    method: 'get',
    path: SCHEMA_PATH,
    tags: ['Docs'],
    summary: 'OpenAPI document',
    description:
      'This API described as OpenAPI 3.1 (JSON), generated from the same route table that routes and validates requests.',
    auth: 'none',
    usesBackingServices: false,
    responses: {
      '200': {
        description: 'The OpenAPI 3.1 document.',
        content: {
          'application/json': {
            schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
          },
        },
      },
    },
    handler(ctx) {
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = document();
    },
  });
}

/** `GET /api/docs`: Swagger UI, with its assets served by this service (works offline). */
export function docsRoutes() {
  const page = koaSwagger({
    title: 'TSES Auth Service API',
    routePrefix: DOCS_PATH,
    swaggerCdnUrl: ASSETS_PATH,
    swaggerVersion: SWAGGER_UI_VERSION,
    favicon: `${ASSETS_PATH}/${SWAGGER_UI_VERSION}/favicon-32x32.png`,
    hideTopbar: true,
    swaggerOptions: { url: SCHEMA_PATH, persistAuthorization: true, displayRequestDuration: true },
  });
  return [
    defineRoute({
      operationId: 'getApiDocs',
      method: 'get',
      path: DOCS_PATH,
      tags: ['Docs'],
      summary: 'Swagger UI',
      description:
        'Interactive documentation of this API. Every asset is served by the service itself: no CDN, no internet needed.',
      auth: 'none',
      usesBackingServices: false,
      responses: {
        '200': { description: 'The Swagger UI page.', content: { 'text/html': { schema: z.string() } } },
      },
      async handler(ctx) {
        await page(ctx, async () => {
          throw new NotFoundProblem();
        });
      },
    }),
    defineRoute({
      operationId: 'getApiDocsAsset',
      method: 'get',
      path: `${ASSETS_PATH}/:version/:file`,
      tags: ['Docs'],
      summary: 'Swagger UI asset',
      description: 'Static files of Swagger UI.',
      auth: 'none',
      usesBackingServices: false,
      hidden: true,
      responses: {},
      async handler(ctx) {
        const asset =
          ctx.params['version'] === SWAGGER_UI_VERSION
            ? await readSwaggerAsset(String(ctx.params['file']))
            : undefined;
        if (asset === undefined) throw new NotFoundProblem();
        ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
        ctx.type = asset.type;
        ctx.body = asset.body;
      },
    }),
  ];
}
