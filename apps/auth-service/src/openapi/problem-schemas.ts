import { z } from 'zod';
import { PROBLEM_TYPE_BASE } from '../errors/problem.js';

// Zod schemas of every problem body the service sends. Output schemas are closed
// (`additionalProperties: false`), so each problem kind with extension members has its own schema.

/** The RFC 9457 members every problem has; spread into a problem kind's own schema. */
export const problemBase = {
  type: z.string().meta({ description: 'URI identifying the problem type (RFC 9457 §3.1.1).' }),
  title: z.string().meta({ description: 'Short, human-readable summary of the problem type.' }),
  status: z.int().meta({ description: 'The HTTP status code.' }),
  detail: z.string().meta({ description: 'Human-readable explanation of this occurrence.' }),
  instance: z.string().optional().meta({ description: 'The request path.' }),
  request_id: z.string().optional().meta({ description: 'Echo of the `X-Request-Id` response header.' }),
};

/** The `type` member of one problem kind. */
export const typeOf = (slug: string) => z.literal(`${PROBLEM_TYPE_BASE}${slug}`);

/** Any problem without extension members (404, 405, 413, 415, 401, 403, 500, 503, malformed JSON …). */
export const problemSchema = z.object({ ...problemBase }).meta({
  id: 'Problem',
  description: 'RFC 9457 problem details.',
  example: {
    type: `${PROBLEM_TYPE_BASE}not-found`,
    title: 'Not found',
    status: 404,
    detail: 'No resource exists at this path.',
    instance: '/api/v1/nope',
    request_id: '0b6f0a0e-6f2b-4c39-9d59-8f8e8e6f1f7a',
  },
});

/** 400 with per-field errors. */
export const validationProblemSchema = z
  .object({
    ...problemBase,
    type: typeOf('validation-error'),
    errors: z
      .array(
        z.object({
          in: z.enum(['body', 'query', 'header']),
          field: z.string().meta({ description: 'Dotted path of the field; empty for the whole body.' }),
          message: z.string(),
        }),
      )
      .meta({ description: 'One entry per invalid or unknown field.' }),
  })
  .meta({
    id: 'ValidationProblem',
    description: 'The request does not match the operation schema.',
    example: {
      type: `${PROBLEM_TYPE_BASE}validation-error`,
      title: 'Invalid request',
      status: 400,
      detail: 'The request has 1 invalid field.',
      instance: '/api/v1/auth/otp/request',
      errors: [{ in: 'body', field: 'email', message: 'Invalid input: expected string, received number' }],
    },
  });

/** 413 with the limit. */
export const payloadTooLargeProblemSchema = z
  .object({ ...problemBase, type: typeOf('payload-too-large'), limit_bytes: z.int() })
  .meta({
    id: 'PayloadTooLargeProblem',
    description: 'The body exceeds the size limit.',
    example: {
      type: `${PROBLEM_TYPE_BASE}payload-too-large`,
      title: 'Payload too large',
      status: 413,
      detail: 'The request body must not exceed 16384 bytes.',
      limit_bytes: 16384,
    },
  });

/** 429 with `retry_after` and the scope that tripped. */
export const rateLimitedProblemSchema = z
  .object({
    ...problemBase,
    type: typeOf('rate-limited'),
    retry_after: z
      .int()
      .min(1)
      .meta({ description: 'Seconds until a retry can succeed (also in `Retry-After`).' }),
    scope: z
      .enum(['email', 'ip'])
      .meta({ description: 'Which limit tripped: per email address or per client IP.' }),
  })
  .meta({
    id: 'RateLimitedProblem',
    description: 'Too many requests.',
    example: {
      type: `${PROBLEM_TYPE_BASE}rate-limited`,
      title: 'Too many requests',
      status: 429,
      detail: 'Too many requests for this email address; retry in 587 s.',
      retry_after: 587,
      scope: 'email',
    },
  });

/** 400 for a wrong/expired/never-requested code, with the attempts left. */
export const invalidOtpProblemSchema = z
  .object({
    ...problemBase,
    type: typeOf('invalid-otp'),
    attempts_remaining: z
      .int()
      .min(0)
      .meta({ description: 'Failed attempts left before the address is locked.' }),
  })
  .meta({
    id: 'InvalidOtpProblem',
    description: 'The code is wrong, expired or was never requested; a failed attempt was counted.',
    example: {
      type: `${PROBLEM_TYPE_BASE}invalid-otp`,
      title: 'Invalid code',
      status: 400,
      detail: 'The code is invalid or expired. 4 attempts remaining before the address is locked.',
      attempts_remaining: 4,
    },
  });

/** 400 for the right code submitted again after it signed in: not a failed attempt. */
export const otpUsedProblemSchema = z.object({ ...problemBase, type: typeOf('otp-used') }).meta({
  id: 'OtpUsedProblem',
  description: 'The right code, already used to sign in; no failed attempt was counted.',
  example: {
    type: `${PROBLEM_TYPE_BASE}otp-used`,
    title: 'Code already used',
    status: 400,
    detail: 'This code has already been used to sign in. Request a new code to sign in again.',
  },
});

/** 400 for the right code while another request holds it: not a failed attempt. */
export const otpInProgressProblemSchema = z
  .object({
    ...problemBase,
    type: typeOf('otp-in-progress'),
    retry_after: z
      .int()
      .min(1)
      .meta({ description: 'Seconds after which a retry can succeed if the other request failed.' }),
  })
  .meta({
    id: 'OtpInProgressProblem',
    description:
      'The right code, held by another request that is signing in with it right now; no failed attempt was counted.',
    example: {
      type: `${PROBLEM_TYPE_BASE}otp-in-progress`,
      title: 'Code in use',
      status: 400,
      detail: 'Another request is signing in with this code; retry in 30 s if it did not succeed.',
      retry_after: 30,
    },
  });

/** 423 with the unlock ETA. */
export const otpLockedProblemSchema = z
  .object({
    ...problemBase,
    type: typeOf('otp-locked'),
    unlock_eta: z.int().min(1).meta({ description: 'Seconds until the lock ends (also in `Retry-After`).' }),
  })
  .meta({
    id: 'OtpLockedProblem',
    description: 'Too many failed attempts: the address is locked.',
    example: {
      type: `${PROBLEM_TYPE_BASE}otp-locked`,
      title: 'Locked',
      status: 423,
      detail: 'Too many failed attempts; verification for this address is locked for 900 s.',
      unlock_eta: 900,
    },
  });
