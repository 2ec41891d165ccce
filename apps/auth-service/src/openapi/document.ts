import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import type { AnyRoute } from '../http/route.js';
import { commonResponses } from './responses.js';

/** Options of {@link createOpenApiDocument}. */
export interface OpenApiDocumentOptions {
  readonly routes: readonly AnyRoute[];
  readonly version: string;
}

/** The OpenAPI 3.1 document type, as `createDocument` returns it. */
export type OpenApiDocument = ReturnType<typeof createDocument>;

function toOperation(route: AnyRoute): ZodOpenApiOperationObject {
  const shared = commonResponses({
    body: route.body !== undefined,
    query: route.query !== undefined,
    auth: route.auth === 'required',
    unavailable: route.usesBackingServices,
    ...(route.badRequest === undefined
      ? {}
      : { badRequest: route.badRequest.schema, badRequestDescription: route.badRequest.description }),
  });
  const security =
    route.auth === 'required'
      ? [{ bearerAuth: [] }]
      : route.auth === 'optional'
        ? [{}, { bearerAuth: [] }]
        : [];
  return {
    operationId: route.operationId,
    tags: [...route.tags],
    summary: route.summary,
    description: route.description,
    security,
    ...(route.query === undefined ? {} : { requestParams: { query: route.query } }),
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: route.body,
                ...(route.bodyExamples === undefined ? {} : { examples: { ...route.bodyExamples } }),
              },
            },
          },
        }),
    responses: { ...shared, ...route.responses },
  };
}

/**
 * Builds the OpenAPI 3.1 document from the same route table that drives routing and validation.
 *
 * @param options - Routes and version.
 * @returns The document, ready to serve as JSON.
 * @example
 * ```ts
 * const document = createOpenApiDocument({ routes, version: '0.1.0' });
 * ```
 */
export function createOpenApiDocument(options: OpenApiDocumentOptions): OpenApiDocument {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of options.routes) {
    if (route.hidden === true) continue;
    paths[route.path] = { ...paths[route.path], [route.method]: toOperation(route) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'TSES Auth Service',
      version: options.version,
      description:
        'Email one-time-password authentication: request a 6-digit code by email, verify it for JWT access and refresh tokens, and read the audit log. Every error is an RFC 9457 `application/problem+json` document.',
    },
    // No `servers`: Swagger UI then calls the origin it was loaded from.
    tags: [
      { name: 'OTP', description: 'Request and verify one-time passwords.' },
      { name: 'Auth', description: 'Tokens, sessions and the current user.' },
      { name: 'Audit', description: 'The audit log of authentication events.' },
      { name: 'Health', description: 'Liveness and readiness probes.' },
      { name: 'Docs', description: 'This document and its UI.' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An access token from `POST /api/v1/auth/otp/verify` or `POST /api/v1/auth/token/refresh`.',
        },
      },
    },
  });
}
