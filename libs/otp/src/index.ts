// Address normalisation lives in @tses/core; re-exported because Otp applies it and apps written
// against earlier versions import it from here.
export { normalizeEmail, normalizeIp } from '@tses/core';
export type { EmailProblem, NormalizedEmail, NormalizedIp } from '@tses/core';
export { InvalidIpError, OtpConfigError, OtpError, OtpStoreError } from './errors.js';
export type { AnyOtpError, OtpErrorCode } from './errors.js';
export type { OtpRequestLimiter } from './limiter.js';
export { MemoryOtpStore } from './memory-otp-store.js';
export { Otp } from './otp.js';
export { createSubjectPseudonym } from './pseudonym.js';
export type { SubjectPseudonym } from './pseudonym.js';
export type { OtpOptions } from './otp.js';
export type { OtpOutcome, OtpOutcomeEvent, OtpTelemetryOptions } from './lib/otp-telemetry.js';
export { RedisOtpStore } from './redis-otp-store.js';
export type {
  OtpCodeInProgress,
  OtpCodeUsed,
  OtpInvalidEmail,
  OtpRateLimit,
  OtpRateLimitRule,
  OtpRateLimitScope,
  OtpRedeemResult,
  OtpRequestInput,
  OtpRequestResult,
  OtpVerifyInput,
  OtpVerifyResult,
} from './results.js';
export { guessBudgetPerDay, OTP_DEFAULTS } from './settings.js';
export type { OtpSettings } from './settings.js';
export type {
  OtpClaim,
  OtpClaimSettlement,
  OtpLockoutPolicy,
  OtpStore,
  OtpStoreVerdict,
  OtpSubjectKeys,
} from './store.js';
