// What a rate-limited HTTP response carries, the same for every framework: the IETF fields in
// named-policy form (several limiters on one request each append their own policy to the same
// list, as Structured Field lists may be split or joined, RFC 9651 §3.1), and the RFC 9457 body.
import { rateLimitField, rateLimitPolicyField } from '../lib/headers.js';
import type { RateLimitInfo } from './options.js';

/** Header names the middleware writes. */
export const POLICY_FIELD = 'RateLimit-Policy';
export const STATE_FIELD = 'RateLimit';
export const RETRY_AFTER = 'Retry-After';

/** Appends list members to a field that may already hold another limiter's members. */
export function appendMembers(existing: unknown, members: string): string {
  const current = Array.isArray(existing)
    ? existing.join(', ')
    : typeof existing === 'string'
      ? existing
      : '';
  return current === '' ? members : `${current}, ${members}`;
}

/** The fields of one decision: every named policy (unless a fault answered), `Retry-After` when denied. */
export function fieldsOf(info: Omit<RateLimitInfo, 'headers'>): Record<string, string> {
  const fields: Record<string, string> = {};
  if (info.error === undefined) {
    const policy: string[] = [];
    const state: string[] = [];
    for (const { rule, decision } of info.policies) {
      policy.push(rateLimitPolicyField(rule)!);
      state.push(rateLimitField(rule, decision)!);
    }
    fields[POLICY_FIELD] = policy.join(', ');
    fields[STATE_FIELD] = state.join(', ');
  }
  if (!info.allowed) fields[RETRY_AFTER] = String(Math.ceil(info.retryAfterMs / 1000));
  return fields;
}

/**
 * The default denial body: RFC 9457 problem details with the wait in seconds and the policy.
 *
 * @param info - The denied decision.
 * @returns The JSON body to send as `application/problem+json` with status 429.
 * @throws Never.
 * @example
 * ```ts
 * res.status(429).type('application/problem+json').send(tooManyRequestsProblem(info));
 * ```
 */
export function tooManyRequestsProblem(info: RateLimitInfo): Record<string, unknown> {
  const retryAfter = Math.ceil(info.retryAfterMs / 1000);
  return {
    type: 'about:blank',
    title: 'Too Many Requests',
    status: 429,
    detail:
      info.error === undefined
        ? `Rate limit "${info.policy}" exceeded; retry in ${retryAfter} s.`
        : `The rate limiter is unavailable; retry in ${retryAfter} s.`,
    retry_after: retryAfter,
    policy: info.policy,
  };
}

/** The media type of {@link tooManyRequestsProblem}. */
export const PROBLEM_JSON = 'application/problem+json';
