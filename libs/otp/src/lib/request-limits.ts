import type { RateLimitAllDecision } from '@tses/redis-ratelimit';
import type { OtpRateLimit, OtpRateLimitRule } from '../results.js';
import type { OtpSettings } from '../settings.js';

/** Policy names of the two request rules; a name opts a rule in to the IETF RateLimit fields. */
const EMAIL_RULE_NAME = 'otp-email';
const IP_RULE_NAME = 'otp-ip';

/** The request rules, built once per `Otp`; results share these frozen objects. */
export interface RequestRules {
  readonly email: OtpRateLimitRule;
  readonly ip: OtpRateLimitRule;
}

/** The email and IP request rules of some settings. */
export function requestRules(settings: OtpSettings): RequestRules {
  return Object.freeze({
    email: Object.freeze({
      name: EMAIL_RULE_NAME,
      limit: settings.emailRequestLimit,
      windowMs: settings.emailRequestWindowMs,
    }),
    ip: Object.freeze({
      name: IP_RULE_NAME,
      limit: settings.ipRequestLimit,
      windowMs: settings.ipRequestWindowMs,
    }),
  });
}

/**
 * Pairs each rule with the limiter's decision for it, email first (the order of `consumeAll`).
 * A custom `OtpRequestLimiter` that reports no decision for a rule leaves that rule out rather
 * than failing a request the limiter admitted.
 */
export function rateLimitsOf(rules: RequestRules, decision: RateLimitAllDecision): readonly OtpRateLimit[] {
  const limits: OtpRateLimit[] = [];
  const [email, ip] = decision.decisions;
  if (email !== undefined) limits.push(Object.freeze({ scope: 'email', rule: rules.email, decision: email }));
  if (ip !== undefined) limits.push(Object.freeze({ scope: 'ip', rule: rules.ip, decision: ip }));
  return Object.freeze(limits);
}
