import { z } from 'zod';

/** `POST /otp/request` body. Format checks beyond "a string" are `@tses/otp`'s (normalizeEmail). */
export const otpRequestBody = z
  .strictObject({
    email: z
      .string()
      .min(1)
      .max(320)
      .meta({ description: 'The address to send the code to.', example: 'user@example.com' }),
  })
  .meta({ id: 'OtpRequestBody' });

/** The 202 message of `POST /otp/request`: the same for every valid address (no account enumeration). */
export const OTP_ACCEPTED_MESSAGE = 'If the address can receive email, a code is on its way.';

/** `POST /otp/request` 202 body: identical for every valid address (no account enumeration). */
export const otpRequestAccepted = z
  .object({
    message: z.string(),
    expires_in: z.int().meta({ description: 'Seconds the code stays valid.' }),
    expires_at: z.iso.datetime().meta({ description: 'When the code expires (ISO 8601, UTC).' }),
  })
  .meta({
    id: 'OtpRequestAccepted',
    example: {
      message: OTP_ACCEPTED_MESSAGE,
      expires_in: 300,
      expires_at: '2026-01-31T09:35:00.000Z',
    },
  });

/** `POST /otp/verify` body. */
export const otpVerifyBody = z
  .strictObject({
    email: z.string().min(1).max(320).meta({ example: 'user@example.com' }),
    otp: z
      .string()
      .min(1)
      .max(64)
      .meta({ description: 'The 6-digit code from the email.', example: '042517' }),
  })
  .meta({ id: 'OtpVerifyBody' });

/** A user as the API shows it. */
export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    created_at: z.iso.datetime(),
    last_login_at: z.iso.datetime().nullable(),
  })
  .meta({
    id: 'User',
    example: {
      id: '8d3c5f0e-2b1a-4c7e-9f6d-0a1b2c3d4e5f',
      email: 'user@example.com',
      created_at: '2026-01-31T09:30:12.345Z',
      last_login_at: '2026-01-31T09:30:12.345Z',
    },
  });

const tokenFields = {
  access: z.string().meta({
    description:
      'Access token (JWT; lives `expires_in` seconds, 5 minutes by default). Send as `Authorization: Bearer <access>`.',
  }),
  refresh: z.string().meta({
    description: 'Refresh token (JWT, 1 day by default, single use: each refresh returns a new one).',
  }),
  token_type: z.literal('Bearer'),
  expires_in: z.int().meta({ description: 'Access-token lifetime in seconds.' }),
};

const tokenExample = {
  access: 'eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIn0.c2lnbmF0dXJl',
  refresh: 'eyJhbGciOiJIUzI1NiIsInR5cCI6InJ0K2p3dCJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.c2lnbmF0dXJl',
  token_type: 'Bearer',
  expires_in: 300,
};

/** `POST /otp/verify` 200 body. */
export const loginResponse = z
  .object({ ...tokenFields, user: userSchema })
  .meta({ id: 'LoginResponse', example: { ...tokenExample, user: userSchema.meta()?.['example'] } });

/** `POST /token/refresh` 200 body. */
export const tokenPairResponse = z.object(tokenFields).meta({ id: 'TokenPair', example: tokenExample });
