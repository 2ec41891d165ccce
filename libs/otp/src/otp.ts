import { randomUUID } from 'node:crypto';
import { normalizeEmail, normalizeIp } from '@tses/core';
import { InvalidIpError, OtpConfigError, OtpError, OtpStoreError } from './errors.js';
import { generateCode } from './lib/generate-code.js';
import { DEFAULT_KEY_PREFIX, emailKeys, ipRequestKey, validateKeyPrefix } from './lib/keys.js';
import { rateLimitsOf, requestRules, type RequestRules } from './lib/request-limits.js';
import { resolveSettings } from './lib/resolve-settings.js';
import { deriveSecretKeys, hashCode, subjectId, type SecretKeys } from './lib/secret-keys.js';
import { OtpTelemetry, type OtpTelemetryOptions } from './lib/otp-telemetry.js';
import type { OtpRequestLimiter } from './limiter.js';
import type {
  OtpRedeemResult,
  OtpRequestInput,
  OtpRequestResult,
  OtpVerifyInput,
  OtpVerifyResult,
} from './results.js';
import type { OtpSettings } from './settings.js';
import type { OtpClaim, OtpStore, OtpStoreVerdict, OtpSubjectKeys } from './store.js';

/**
 * Options of {@link Otp}.
 *
 * @example
 * ```ts
 * const options: OtpOptions = { serverSecret: process.env.OTP_SECRET!, store: new MemoryOtpStore(), limiter };
 * ```
 */
export interface OtpOptions extends OtpTelemetryOptions {
  /** At least 32 bytes of secret (e.g. `openssl rand -base64 48`); keys code hashes and key names. */
  readonly serverSecret: string | Uint8Array;
  /** Where codes, failure counters and locks live: `RedisOtpStore` or `MemoryOtpStore`. */
  readonly store: OtpStore;
  /** The request limiter: a `RateLimiter` from `@tses/redis-ratelimit` over the same backend. */
  readonly limiter: OtpRequestLimiter;
  /** Prepended to every key (default `otp:`); must not contain `{` or `}`. */
  readonly keyPrefix?: string;
  /** Overrides of {@link OTP_DEFAULTS}. */
  readonly settings?: Partial<OtpSettings>;
}

// Longer input cannot match a code (at most 10 digits); cap what gets hashed.
const MAX_OTP_INPUT = 64;

/**
 * Issues and verifies email one-time passwords with request limits and lockout.
 *
 * @example
 * ```ts
 * const otp = new Otp({
 *   serverSecret,
 *   store: new RedisOtpStore(redis),
 *   limiter: new RateLimiter({ redis, failureMode: 'throw' }),
 * });
 * const issued = await otp.request({ email: ' User@Example.com', ip: ctx.ip });
 * if (issued.status === 'issued') await mailer.send(issued.email, `Your code: ${issued.code}`);
 * // The code is spent only if the session could be created; otherwise it stays usable.
 * const result = await otp.redeem({ email: 'user@example.com', otp: '042517' }, ({ email }) =>
 *   startSession(email),
 * );
 * ```
 */
export class Otp {
  /** The effective settings (defaults merged with overrides). */
  readonly settings: OtpSettings;
  readonly #keys: SecretKeys;
  readonly #store: OtpStore;
  readonly #limiter: OtpRequestLimiter;
  readonly #prefix: string;
  readonly #rules: RequestRules;
  /** Metrics, spans and `onOutcome`, when this Otp reports anywhere. */
  readonly #telemetry: OtpTelemetry | undefined;

  /**
   * @param options - Secret, store, limiter, key prefix and settings.
   * @throws OtpConfigError when the secret is shorter than 32 bytes or a setting is out of range.
   */
  constructor(options: OtpOptions) {
    this.#keys = deriveSecretKeys(options.serverSecret);
    this.settings = resolveSettings(options.settings);
    this.#prefix = validateKeyPrefix(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
    this.#store = options.store;
    this.#limiter = options.limiter;
    this.#rules = requestRules(this.settings);
    if (options.onOutcome !== undefined && typeof options.onOutcome !== 'function') {
      throw new OtpConfigError('onOutcome must be a function');
    }
    this.#telemetry = OtpTelemetry.create(options);
  }

  /**
   * Issues a new code for an email, replacing the previous one, within the email and IP limits
   * (all or nothing: a refused request counts against neither). Failure counters are untouched,
   * and a locked email still gets a code (verify answers `locked` until the lock ends); a service
   * that prefers not to send one can tell the user after the first `locked` answer.
   *
   * Both `issued` and `rate_limited` carry `rateLimits`: the named rules (`otp-email`, `otp-ip`)
   * with the limiter's decision for each, ready for `rateLimitHeaders` of `@tses/redis-ratelimit`.
   *
   * @param input - The email as typed and the client IP.
   * @returns `issued` with the code to deliver, `rate_limited` with scope and retry-after, or
   *   `invalid_email`; the first two with `rateLimits`.
   * @throws InvalidIpError when `ip` is not an IP address; OtpStoreError when Redis or the limiter fails.
   * @example
   * ```ts
   * import { rateLimitHeaders } from '@tses/redis-ratelimit';
   * const r = await otp.request({ email: 'user@example.com', ip: '203.0.113.7' });
   * // RateLimit-Policy, RateLimit, and Retry-After when refused:
   * if (r.status !== 'invalid_email') ctx.set(rateLimitHeaders(r.rateLimits));
   * ```
   */
  request(input: OtpRequestInput): Promise<OtpRequestResult> {
    const telemetry = this.#telemetry;
    return telemetry === undefined
      ? this.#request(input)
      : telemetry.observe('request', this.#request(input));
  }

  async #request(input: OtpRequestInput): Promise<OtpRequestResult> {
    const ip = normalizeIp(input.ip, this.settings.ipv6PrefixLength);
    if (!ip.ok) throw new InvalidIpError(ip.message);
    const normalized = normalizeEmail(typeof input.email === 'string' ? input.email : '');
    if (!normalized.ok)
      return { status: 'invalid_email', problem: normalized.problem, message: normalized.message };
    const { email } = normalized;
    const keys = emailKeys(this.#prefix, subjectId(this.#keys, 'email', email));
    const s = this.settings;
    const rules = this.#rules;

    const decision = await this.#guard('The rate limiter failed.', () =>
      this.#limiter.consumeAll([
        { key: keys.requests, rule: rules.email },
        { key: ipRequestKey(this.#prefix, subjectId(this.#keys, 'ip', ip.key)), rule: rules.ip },
      ]),
    );
    const rateLimits = rateLimitsOf(rules, decision);
    if (!decision.allowed) {
      return {
        status: 'rate_limited',
        scope: decision.blockedIndex === 1 ? 'ip' : 'email',
        retryAfterMs: decision.retryAfterMs,
        rateLimits,
      };
    }

    const code = generateCode(s.codeLength);
    await this.#guard('The store failed to save the code.', () =>
      this.#traced('saveCode', () =>
        this.#store.saveCode(keys, hashCode(this.#keys, email, code), s.codeTtlMs),
      ),
    );
    return {
      status: 'issued',
      code,
      email,
      expiresAt: new Date(Date.now() + s.codeTtlMs),
      expiresInMs: s.codeTtlMs,
      rateLimits,
    };
  }

  /**
   * Verifies a code in one atomic step and spends it at once. While the email is locked every
   * attempt, even with the right code, answers `locked`. Wrong, expired and never-requested codes
   * answer `invalid` and count a failure; the failure that reaches the limit locks, deletes the
   * code and answers `locked`. The right code again after it was spent answers `used` (until it
   * would have expired), and while {@link Otp.redeem} holds it, `in_progress`: neither counts a
   * failure. When what follows a verification can fail (a database write), use
   * {@link Otp.redeem}, which spends the code only if that work succeeds.
   *
   * @param input - The email as typed and the code as typed.
   * @returns `verified`, `invalid` with attempts remaining, `locked` with retry-after, `used`,
   *   `in_progress` with retry-after, or `invalid_email`.
   * @throws OtpStoreError when the store fails.
   * @example
   * ```ts
   * const r = await otp.verify({ email: 'user@example.com', otp: '042517' });
   * switch (r.status) { case 'verified': …; case 'invalid': …; case 'locked': …; case 'used': …; … }
   * ```
   */
  verify(input: OtpVerifyInput): Promise<OtpVerifyResult> {
    const telemetry = this.#telemetry;
    return telemetry === undefined ? this.#verify(input) : telemetry.observe('verify', this.#verify(input));
  }

  async #verify(input: OtpVerifyInput): Promise<OtpVerifyResult> {
    const checked = await this.#check(input);
    if (checked.status !== 'checked') return checked;
    return checked.verdict.status === 'verified'
      ? { status: 'verified', email: checked.email }
      : this.#refusal(checked.verdict);
  }

  /**
   * Two-phase verification: on the right code, holds it (for at most `settings.claimLeaseMs`)
   * while `work` runs, then spends it if `work` resolves, or makes it usable again, with its
   * original expiry, if `work` rejects. So a sign-in that fails after the code check (a database
   * outage) does not cost the user their code, and the code is still used at most once: while it
   * is held, the right code answers `in_progress`; once spent, `used`; neither counts a failure.
   *
   * If the process dies while holding a code, the hold fails safe: after the lease the code counts
   * as spent, never usable again without a release. A release after the lease is refused for the
   * same reason. If settling itself fails (the store went down too), the code also stays held and
   * then spent; the result (or `work`'s error) is returned as usual, since the sign-in did or did
   * not happen whatever the store says.
   *
   * @param input - The email as typed and the code as typed.
   * @param work - What must succeed for the sign-in to count (create the session, record the
   *   login); it receives the normalised address and runs only for the right code.
   * @returns `verified` with what `work` resolved to; otherwise {@link Otp.verify}'s answers, and
   *   `work` did not run.
   * @throws whatever `work` throws (after releasing the code); OtpStoreError when the store fails
   *   before `work` runs.
   * @example
   * ```ts
   * const r = await otp.redeem({ email: body.email, otp: body.otp }, async ({ email }) => {
   *   const user = await users.upsert(email); // throws while the database is down: code kept
   *   return sessions.issue(user);
   * });
   * if (r.status === 'verified') ctx.body = r.value;
   * ```
   */
  redeem<T>(
    input: OtpVerifyInput,
    work: (verified: { readonly email: string }) => Promise<T>,
  ): Promise<OtpRedeemResult<T>> {
    const telemetry = this.#telemetry;
    const result = this.#redeem(input, work);
    return telemetry === undefined ? result : telemetry.observe('redeem', result);
  }

  async #redeem<T>(
    input: OtpVerifyInput,
    work: (verified: { readonly email: string }) => Promise<T>,
  ): Promise<OtpRedeemResult<T>> {
    const claim: OtpClaim = { token: randomUUID(), leaseMs: this.settings.claimLeaseMs };
    const checked = await this.#check(input, claim);
    if (checked.status !== 'checked') return checked;
    if (checked.verdict.status !== 'verified') return this.#refusal(checked.verdict);
    const { email, keys } = checked;
    let value: T;
    try {
      value = await work({ email });
    } catch (error) {
      // Best effort: a release that fails leaves the hold to expire into "spent" (fail safe), and
      // the work's own error is what the caller must see.
      await this.#store.settleClaim(keys, claim.token, 'release').catch(() => undefined);
      throw error;
    }
    // Likewise: the sign-in happened; an uncommitted hold becomes "spent" when its lease ends.
    await this.#store.settleClaim(keys, claim.token, 'commit').catch(() => undefined);
    return { status: 'verified', email, value };
  }

  /** Normalises the input and runs the store's verification, holding the code under `claim` if given. */
  async #check(
    input: OtpVerifyInput,
    claim?: OtpClaim,
  ): Promise<
    | Extract<OtpVerifyResult, { status: 'invalid_email' }>
    | { status: 'checked'; email: string; keys: OtpSubjectKeys; verdict: OtpStoreVerdict }
  > {
    const normalized = normalizeEmail(typeof input.email === 'string' ? input.email : '');
    if (!normalized.ok)
      return { status: 'invalid_email', problem: normalized.problem, message: normalized.message };
    const { email } = normalized;
    const submitted = typeof input.otp === 'string' ? input.otp.trim().slice(0, MAX_OTP_INPUT) : '';
    const keys = emailKeys(this.#prefix, subjectId(this.#keys, 'email', email));
    const hash = hashCode(this.#keys, email, submitted);
    const verdict = await this.#guard('The store failed to verify the code.', () =>
      this.#traced('verifyCode', () =>
        claim === undefined
          ? this.#store.verifyCode(keys, hash, this.settings)
          : this.#store.verifyCode(keys, hash, this.settings, claim),
      ),
    );
    return { status: 'checked', email, keys, verdict };
  }

  /** The caller-facing answer to every verdict but `verified`. */
  #refusal(
    verdict: Exclude<OtpStoreVerdict, { status: 'verified' }>,
  ): Exclude<OtpVerifyResult, { status: 'verified' | 'invalid_email' }> {
    if (verdict.status === 'locked') {
      return {
        status: 'locked',
        retryAfterMs: verdict.retryAfterMs,
        unlocksAt: new Date(Date.now() + verdict.retryAfterMs),
      };
    }
    return verdict;
  }

  /** Runs a store call inside a span when a trace is active. */
  #traced<T>(operation: 'saveCode' | 'verifyCode', run: () => Promise<T>): Promise<T> {
    return this.#telemetry === undefined ? run() : this.#telemetry.traced(operation, run);
  }

  /** Runs a backend call, turning foreign errors into OtpStoreError so callers see one hierarchy. */
  async #guard<T>(message: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof OtpError) throw error;
      throw new OtpStoreError(message, { cause: error });
    }
  }
}
