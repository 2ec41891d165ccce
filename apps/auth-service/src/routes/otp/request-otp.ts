import { rateLimitHeaders } from '@tses/redis-ratelimit';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.js';
import { auditEventFor } from '../../audit-events.js';
import { RateLimitedProblem } from '../../errors/auth-problems.js';
import { ValidationProblem } from '../../errors/request-problems.js';
import { defineRoute } from '../../http/route.js';
import { rateLimitedProblemSchema } from '../../openapi/problem-schemas.js';
import {
  jsonResponse,
  problemResponse,
  rateLimitHeaderFields,
  retryAfterHeader,
} from '../../openapi/responses.js';
import { OTP_ACCEPTED_MESSAGE, otpRequestAccepted, otpRequestBody } from './otp-schemas.js';

// Both policies are named (`otp-email`, `otp-ip`), so both answers always carry both fields.
const rateLimitFields = rateLimitHeaderFields();

/**
 * `POST /api/v1/auth/otp/request`: issue a code, queue the email and the audit event, answer 202.
 *
 * @param deps - The OTP service and the job publisher.
 * @returns The route.
 */
export function requestOtpRoute(deps: Pick<AppDeps, 'otp' | 'jobs'>) {
  return defineRoute({
    operationId: 'requestOtp',
    method: 'post',
    path: '/api/v1/auth/otp/request',
    tags: ['OTP'],
    summary: 'Request a one-time password by email',
    description:
      'Issues a 6-digit code valid for 5 minutes (replacing any previous one) and queues the email and an `OTP_REQUESTED` audit event; returns without waiting for either. The answer is identical for every valid address, so it reveals nothing about accounts. Limits (by default; `OTP_REQUESTS_PER_EMAIL`, `OTP_REQUESTS_PER_IP`): 3 requests per address per 10 minutes and 10 per client IP (IPv6: per /64) per hour, counted all-or-nothing (a refused request counts against neither). Both the `202` and the `429` describe the two policies, `otp-email` and `otp-ip`, in the IETF `RateLimit-Policy` and `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers, named-policy form).',
    auth: 'none',
    usesBackingServices: true,
    body: otpRequestBody,
    bodyExamples: { typical: { summary: 'An address', value: { email: 'user@example.com' } } },
    responses: {
      '202': jsonResponse(
        'The code was issued and the email queued. `RateLimit` gives what is left of each policy after this request.',
        otpRequestAccepted,
        z.object(rateLimitFields),
      ),
      '429': problemResponse(
        'Too many requests for this address (`scope: "email"`) or this client IP (`scope: "ip"`). `retry_after` and `Retry-After` give the wait in seconds; `RateLimit` shows the exhausted policy at `r=0` (nothing was counted against the other).',
        rateLimitedProblemSchema,
        z.object({ 'Retry-After': retryAfterHeader, ...rateLimitFields }),
      ),
    },
    async handler(ctx, { body }) {
      const result = await deps.otp.request({ email: body.email, ip: ctx.state.clientIp });
      if (result.status === 'invalid_email') {
        throw new ValidationProblem([{ in: 'body', field: 'email', message: result.message }]);
      }
      if (result.status === 'rate_limited') {
        throw new RateLimitedProblem(result.scope, result.retryAfterMs, rateLimitHeaders(result.rateLimits));
      }
      // One job carries the email and the audit event (the worker does both, once each); the
      // request waits only for Redis to accept it, and a failure is a 503 (the user would wait
      // for a code that never comes).
      await deps.jobs.otpIssued({
        email: result.email,
        otp: result.code,
        expiresAt: result.expiresAt,
        audit: auditEventFor(ctx, 'OTP_REQUESTED', result.email, {
          expires_at: result.expiresAt.toISOString(),
        }),
      });
      ctx.status = 202;
      ctx.set(rateLimitHeaders(result.rateLimits));
      ctx.body = {
        message: OTP_ACCEPTED_MESSAGE,
        expires_in: Math.round(result.expiresInMs / 1000),
        expires_at: result.expiresAt.toISOString(),
      };
    },
  });
}
