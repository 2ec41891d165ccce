import { rateLimitField, rateLimitPolicyField, type RateLimitRule } from '@tses/redis-ratelimit';
import { z } from 'zod';
import type { ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem.js';
import { BODY_LIMIT_BYTES } from '../middleware/json-body.js';
import { payloadTooLargeProblemSchema, problemSchema, validationProblemSchema } from './problem-schemas.js';

type Schema = z.ZodType;

/** `Retry-After` in delta-seconds (RFC 9110 §10.2.3). */
export const retryAfterHeader = z
  .string()
  .regex(/^\d+$/)
  .meta({ description: 'Seconds to wait before retrying.', example: '60' });

// The named-policy form of draft-ietf-httpapi-ratelimit-headers, as `@tses/redis-ratelimit`'s
// `rateLimitHeaders` renders it: a list of Structured Field strings (RFC 9651 §3.3.3) with parameters.
const SF_STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const listOf = (member: string) => new RegExp(String.raw`^${member}(?:, ${member})*$`);

/** `RateLimit-Policy`: each named policy with its quota (`q`) per window of `w` seconds. */
export const rateLimitPolicyHeader = z
  .string()
  .regex(listOf(String.raw`${SF_STRING};q=\d+;w=\d+`))
  .meta({
    description:
      'The rate-limit policies that apply (IETF draft-ietf-httpapi-ratelimit-headers): `"name";q=<quota>;w=<window seconds>`, one per policy.',
    example: '"otp-email";q=3;w=600, "otp-ip";q=10;w=3600',
  });

/** `RateLimit`: each named policy's remaining quota (`r`) and seconds until its window resets (`t`). */
export const rateLimitHeader = z
  .string()
  .regex(listOf(String.raw`${SF_STRING};r=\d+;t=\d+`))
  .meta({
    description:
      'The state of each policy in `RateLimit-Policy`: `"name";r=<remaining>;t=<seconds until the window resets>` (`t=0`: no window open).',
    example: '"otp-email";r=2;t=600, "otp-ip";r=9;t=3600',
  });

/**
 * `RateLimit-Policy` and `RateLimit` as response headers (required: every policy of the operation
 * is named), for a `z.object` of headers.
 *
 * @param rule - The operation's one policy, for the examples (its quota, and the state when it
 *   refuses); default: examples of the OTP request policies.
 * @returns The two header fields.
 * @example
 * ```ts
 * z.object({ 'Retry-After': retryAfterHeader, ...rateLimitHeaderFields(settings.verifyIpRule) });
 * ```
 */
export function rateLimitHeaderFields(rule?: RateLimitRule) {
  const policy = rule === undefined ? undefined : rateLimitPolicyField(rule);
  if (rule === undefined || policy === undefined) {
    return { 'RateLimit-Policy': rateLimitPolicyHeader, RateLimit: rateLimitHeader };
  }
  const exhausted = {
    allowed: false,
    limit: rule.limit,
    remaining: 0,
    retryAfterMs: rule.windowMs,
    resetInMs: rule.windowMs,
  };
  return {
    'RateLimit-Policy': rateLimitPolicyHeader.meta({ ...rateLimitPolicyHeader.meta(), example: policy }),
    RateLimit: rateLimitHeader.meta({ ...rateLimitHeader.meta(), example: rateLimitField(rule, exhausted) }),
  };
}

/** `Cache-Control: no-store` on every token response (RFC 6749 §5.1). */
export const noStoreHeaders = z.object({
  'Cache-Control': z.literal('no-store').meta({ description: 'Token responses must not be cached.' }),
});

/**
 * A response whose body is a problem document.
 *
 * @param description - When the status is returned.
 * @param schema - The problem schema (default: the generic {@link problemSchema}).
 * @param headers - Response headers, as a zod object.
 * @returns A zod-openapi response object.
 */
export function problemResponse(
  description: string,
  schema: Schema = problemSchema,
  headers?: z.ZodObject,
): ZodOpenApiResponseObject {
  return {
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema } },
    ...(headers === undefined ? {} : { headers }),
  };
}

/**
 * A JSON response.
 *
 * @param description - What the body is.
 * @param schema - The body schema.
 * @param headers - Response headers, as a zod object.
 * @returns A zod-openapi response object.
 */
export function jsonResponse(
  description: string,
  schema: Schema,
  headers?: z.ZodObject,
): ZodOpenApiResponseObject {
  return {
    description,
    content: { 'application/json': { schema } },
    ...(headers === undefined ? {} : { headers }),
  };
}

/** Which cross-cutting failures an operation can produce. */
export interface CommonResponseFlags {
  readonly body: boolean;
  readonly query: boolean;
  readonly auth: boolean;
  readonly unavailable: boolean;
  /** Schema for 400 when the operation has its own 400 kinds besides validation/malformed JSON. */
  readonly badRequest?: Schema;
  readonly badRequestDescription?: string;
}

/**
 * The responses every operation shares, derived from what it takes: a JSON body (400/413/415),
 * bearer auth (401), backing services (503), and always 500 and 501 (an unknown transfer coding).
 *
 * @param flags - What the operation uses.
 * @returns Responses to merge under the operation's own.
 */
export function commonResponses(flags: CommonResponseFlags): ZodOpenApiResponsesObject {
  const responses: ZodOpenApiResponsesObject = {};
  if (flags.body || flags.query || flags.badRequest !== undefined) {
    responses['400'] = problemResponse(
      flags.badRequestDescription ??
        (flags.body
          ? 'Malformed JSON (`malformed-json`), or a body that does not match the schema: wrong types, missing or unknown fields (`validation-error`, with per-field `errors`).'
          : 'A query parameter that does not match the schema (`validation-error`, with per-field `errors`).'),
      flags.badRequest ??
        (flags.body ? z.union([validationProblemSchema, problemSchema]) : validationProblemSchema),
    );
  }
  if (flags.body) {
    responses['413'] = problemResponse(
      `The body is larger than ${BODY_LIMIT_BYTES} bytes (\`limit_bytes\`).`,
      payloadTooLargeProblemSchema,
    );
    responses['415'] = problemResponse(
      'A body was sent with a media type other than `application/json` (`unsupported-media-type`), or in a content coding other than `identity` (`unsupported-content-encoding`, with `Accept-Encoding: identity`: send the body uncompressed).',
    );
  }
  if (flags.auth) {
    responses['401'] = problemResponse(
      'No access token, or the token is invalid, expired, revoked, or a refresh token.',
      problemSchema,
      z.object({
        'WWW-Authenticate': z
          .string()
          .meta({ description: 'Bearer challenge (RFC 6750 §3).', example: 'Bearer realm="tses"' }),
      }),
    );
  }
  if (flags.unavailable) {
    responses['503'] = problemResponse(
      'Redis or PostgreSQL is unreachable; retry later.',
      problemSchema,
      z.object({ 'Retry-After': retryAfterHeader }),
    );
  }
  responses['500'] = problemResponse('Unexpected error. The body never carries internal details.');
  responses['501'] = problemResponse(
    'A `Transfer-Encoding` other than `chunked` (`unsupported-transfer-coding`): the server implements no other transfer coding.',
  );
  return responses;
}
