import { z } from 'zod';

/** Body of `POST /token/refresh` and `POST /logout`. */
export const refreshTokenBody = z
  .strictObject({
    refresh: z
      .string()
      .min(1)
      .max(4096)
      .meta({ description: 'A refresh token from verify or a previous refresh.' }),
  })
  .meta({ id: 'RefreshTokenBody' });

/**
 * What `POST /token/refresh` and `POST /logout` take: no bearer token, a refresh token in the
 * body, state in Redis. Spread into both route definitions.
 */
export const refreshTokenInput = {
  auth: 'none',
  usesBackingServices: true,
  body: refreshTokenBody,
  bodyExamples: {
    typical: {
      summary: 'A refresh token',
      value: { refresh: 'eyJhbGciOiJIUzI1NiIsInR5cCI6InJ0K2p3dCJ9.e30.c2ln' },
    },
  },
} as const;

/** `GET /auth/me`. */
export const meResponse = z
  .object({
    id: z.uuid(),
    email: z.string(),
    created_at: z.iso.datetime(),
    last_login_at: z.iso.datetime().nullable(),
    is_admin: z
      .boolean()
      .meta({ description: 'Whether the user is in `ADMIN_EMAILS` (sees every audit entry).' }),
    session_id: z
      .uuid()
      .meta({ description: 'The login session (refresh-token family) of this access token.' }),
    token_expires_at: z.iso.datetime().meta({ description: 'When the presented access token expires.' }),
  })
  .meta({
    id: 'Me',
    example: {
      id: '8d3c5f0e-2b1a-4c7e-9f6d-0a1b2c3d4e5f',
      email: 'user@example.com',
      created_at: '2026-01-31T09:30:12.345Z',
      last_login_at: '2026-01-31T09:30:12.345Z',
      is_admin: false,
      session_id: '5b0f3a2e-7c1d-4e8f-9a0b-1c2d3e4f5a6b',
      token_expires_at: '2026-01-31T09:35:12.000Z',
    },
  });

/** `GET /auth/status`. */
export const statusResponse = z
  .object({
    authenticated: z.boolean().meta({ description: 'Whether the request carries a valid access token.' }),
  })
  .meta({ id: 'AuthStatus', example: { authenticated: true } });
