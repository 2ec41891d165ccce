import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { jsonResponse } from '../../openapi/responses.js';

const jwksResponse = z
  .object({
    keys: z.array(
      z.looseObject({
        kty: z.string(),
        kid: z.string(),
        alg: z.string(),
        use: z.literal('sig'),
      }),
    ),
  })
  .meta({
    id: 'JsonWebKeySet',
    example: {
      keys: [
        {
          kty: 'OKP',
          crv: 'Ed25519',
          x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
          kid: 'uXk0bPz8C4i6kX4zCqW0Q5y8B0e6tGsx8m7a9u1c2d0',
          alg: 'EdDSA',
          use: 'sig',
        },
      ],
    },
  });

/**
 * `GET /.well-known/jwks.json`: the public keys access tokens are signed with (EdDSA only; with
 * HS256 there is nothing public to publish and the route does not exist).
 *
 * @param jwks - The key set.
 * @returns The route.
 */
export function jwksRoute(jwks: JSONWebKeySet) {
  return defineRoute({
    operationId: 'getJwks',
    method: 'get',
    path: '/.well-known/jwks.json',
    tags: ['Auth'],
    summary: 'Token signing keys (JWKS)',
    description:
      'The Ed25519 public keys that verify this service’s tokens (RFC 7517), for resource servers verifying access tokens on their own.',
    auth: 'none',
    usesBackingServices: false,
    responses: { '200': jsonResponse('The JSON Web Key Set.', jwksResponse) },
    handler(ctx) {
      ctx.set('Cache-Control', 'public, max-age=300');
      ctx.body = jwks;
    },
  });
}
