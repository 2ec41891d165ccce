import { normalizeEmail } from '@tses/core';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.js';
import { auditEventFor, publishAudit } from '../../audit-events.js';
import {
  InvalidOtpProblem,
  OtpInProgressProblem,
  OtpLockedProblem,
  OtpUsedProblem,
} from '../../errors/auth-problems.js';
import { ValidationProblem } from '../../errors/request-problems.js';
import { defineRoute } from '../../http/route.js';
import {
  invalidOtpProblemSchema,
  otpInProgressProblemSchema,
  otpLockedProblemSchema,
  otpUsedProblemSchema,
  problemSchema,
  rateLimitedProblemSchema,
  validationProblemSchema,
} from '../../openapi/problem-schemas.js';
import {
  jsonResponse,
  noStoreHeaders,
  problemResponse,
  rateLimitHeaderFields,
  retryAfterHeader,
} from '../../openapi/responses.js';
import { presentTokenPair } from '../present-tokens.js';
import { presentUser } from '../present-user.js';
import { loginResponse, otpVerifyBody } from './otp-schemas.js';

/**
 * `POST /api/v1/auth/otp/verify`: check the code, create or update the user, issue tokens.
 *
 * @param deps - OTP service, per-IP limit, users, tokens, jobs, settings.
 * @returns The route.
 */
export function verifyOtpRoute(
  deps: Pick<AppDeps, 'otp' | 'verifyIpLimit' | 'users' | 'tokens' | 'jobs' | 'settings'>,
) {
  const rule = deps.settings.verifyIpRule;
  return defineRoute({
    operationId: 'verifyOtp',
    method: 'post',
    path: '/api/v1/auth/otp/verify',
    tags: ['OTP'],
    summary: 'Verify a one-time password and sign in',
    description:
      'Checks the code in one atomic step. On success the user is created (first sign-in) or its `last_login_at` updated, and an access token (5 minutes by default) and a refresh token (1 day by default) are returned; the code is spent only once all of that succeeded, so a `503` (PostgreSQL or Redis down) leaves it usable for a retry. A wrong, expired or never requested code is one indistinguishable `400` (`invalid-otp`) with `attempts_remaining`. The right code submitted again after it signed in is `400` `otp-used`, and while another request is signing in with it `400` `otp-in-progress` (with `retry_after`); neither counts as a failed attempt. The 5th failure within 15 minutes locks the address, and that attempt and every attempt while the lock lasts (even with the right code) get `423` with `unlock_eta` and `Retry-After`. Audit events: `OTP_VERIFIED`, `OTP_FAILED`, `OTP_LOCKED`. Each client IP (IPv6: each /64) may also try at most a configured number of codes per 15 minutes: the `otp-verify-ip` policy, whose `429` (`scope: "ip"`) carries the IETF `RateLimit-Policy` and `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers, named-policy form).',
    auth: 'none',
    usesBackingServices: true,
    body: otpVerifyBody,
    bodyExamples: {
      typical: { summary: 'The code from the email', value: { email: 'user@example.com', otp: '042517' } },
    },
    badRequest: {
      schema: z.union([
        invalidOtpProblemSchema,
        otpUsedProblemSchema,
        otpInProgressProblemSchema,
        validationProblemSchema,
        problemSchema,
      ]),
      description:
        'The code is wrong, expired or was never requested (`invalid-otp`, with `attempts_remaining`); the right code was already used (`otp-used`) or is being used by another request right now (`otp-in-progress`, with `retry_after` and `Retry-After`), neither of which counts as a failed attempt; or malformed JSON / a body that does not match the schema.',
    },
    responses: {
      '200': jsonResponse('Signed in: tokens and the user.', loginResponse, noStoreHeaders),
      '423': problemResponse(
        'Too many failed attempts: the address is locked; `unlock_eta` and `Retry-After` give the seconds left.',
        otpLockedProblemSchema,
        z.object({ 'Retry-After': retryAfterHeader }),
      ),
      '429': problemResponse(
        'Too many verification attempts from this client IP (`scope: "ip"`; IPv6: per /64). `retry_after` and `Retry-After` give the wait in seconds; `RateLimit` shows the `otp-verify-ip` policy at `r=0`.',
        rateLimitedProblemSchema,
        z.object({ 'Retry-After': retryAfterHeader, ...rateLimitHeaderFields(rule) }),
      ),
    },
    async handler(ctx, { body }) {
      const normalized = normalizeEmail(body.email);
      if (!normalized.ok)
        throw new ValidationProblem([{ in: 'body', field: 'email', message: normalized.message }]);
      const email = normalized.email;
      // The per-IP limit runs once the body is valid: a malformed request is not an attempt.
      await deps.verifyIpLimit(ctx, async () => {
        // The code is held while the sign-in is recorded and spent only if that succeeded: a
        // PostgreSQL or Redis failure here answers 503 and leaves the code usable for a retry.
        const result = await deps.otp.redeem({ email: body.email, otp: body.otp }, async (verified) => {
          const user = await deps.users.recordLogin(verified.email);
          const [tokens] = await Promise.all([
            deps.tokens.issue({ id: user.id, email: user.email }),
            publishAudit(
              deps.jobs,
              ctx,
              auditEventFor(ctx, 'OTP_VERIFIED', user.email, { user_id: user.id }),
            ),
          ]);
          return { user, tokens };
        });
        switch (result.status) {
          case 'invalid_email':
            throw new ValidationProblem([{ in: 'body', field: 'email', message: result.message }]);
          case 'invalid':
            await publishAudit(
              deps.jobs,
              ctx,
              auditEventFor(ctx, 'OTP_FAILED', email, {
                attempts_remaining: result.attemptsRemaining,
              }),
            );
            throw new InvalidOtpProblem(result.attemptsRemaining);
          case 'locked':
            await publishAudit(
              deps.jobs,
              ctx,
              auditEventFor(ctx, 'OTP_LOCKED', email, {
                unlocks_at: result.unlocksAt.toISOString(),
              }),
            );
            throw new OtpLockedProblem(result.retryAfterMs);
          // Not failed guesses (no attempt counted), but failed sign-ins all the same: a replayed
          // code is what an auditor looks for.
          case 'used':
            await publishAudit(
              deps.jobs,
              ctx,
              auditEventFor(ctx, 'OTP_FAILED', email, { reason: 'code_used' }),
            );
            throw new OtpUsedProblem();
          case 'in_progress':
            await publishAudit(
              deps.jobs,
              ctx,
              auditEventFor(ctx, 'OTP_FAILED', email, { reason: 'code_in_progress' }),
            );
            throw new OtpInProgressProblem(result.retryAfterMs);
          case 'verified': {
            const { user, tokens } = result.value;
            ctx.body = { ...presentTokenPair(tokens), user: presentUser(user) };
          }
        }
      });
    },
  });
}
