import type { AuditStore } from '@tses/audit';
import type {
  OtpRedeemResult,
  OtpRequestInput,
  OtpRequestResult,
  OtpVerifyInput,
  OtpVerifyResult,
} from '@tses/otp';
import type { RateLimitRule } from '@tses/redis-ratelimit';
import type { JobPublisher } from '@tses/jobs';
import type { Tracer } from '@opentelemetry/api';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { UnavailablePredicate } from './errors/dependency-errors.js';
import type { VerifyIpLimit } from './limits/verify-ip-limit.js';
import type { ServiceMetrics } from './metrics/service-metrics.js';
import type { TokenService } from './tokens/token-types.js';
import type { UserRepository } from './users/user-types.js';

/** One readiness probe: resolves when the dependency answers, rejects otherwise. */
export interface HealthCheck {
  /** `redis`, `postgres`, … */
  readonly name: string;
  check(): Promise<void>;
}

/** What the API needs from `@tses/otp`'s `Otp`. */
export interface OtpPort {
  request(input: OtpRequestInput): Promise<OtpRequestResult>;
  verify(input: OtpVerifyInput): Promise<OtpVerifyResult>;
  /** Verifies and holds the code while `work` runs; spends it only when `work` succeeds. */
  redeem<T>(
    input: OtpVerifyInput,
    work: (verified: { readonly email: string }) => Promise<T>,
  ): Promise<OtpRedeemResult<T>>;
}

/** What the API needs from `@tses/jobs`' `JobPublisher` (BullMQ or in-process): publishing, not `close()`. */
export type JobsPort = Pick<JobPublisher, 'otpIssued' | 'auditEvent'>;

/** Settings the routes read. */
export interface AppSettings {
  /** Normalised admin addresses (`ADMIN_EMAILS`): they see every audit entry. */
  readonly adminEmails: readonly string[];
  /** Proxy hops to trust for `X-Forwarded-For` (`TRUST_PROXY`). */
  readonly trustProxyHops: number;
  /**
   * Per-IP limit on `POST /otp/verify` (guessing across many addresses), named `otp-verify-ip`
   * (`VERIFY_IP_POLICY`) so its 429 can carry `RateLimit-Policy` and `RateLimit`.
   */
  readonly verifyIpRule: RateLimitRule;
  /** Version shown in the OpenAPI document. */
  readonly version: string;
}

/**
 * Everything `createApp` depends on: injected, so tests build the app on real Redis/PostgreSQL
 * and embedded mode builds it on memory stores.
 */
export interface AppDeps {
  readonly logger: Logger;
  readonly settings: AppSettings;
  readonly otp: OtpPort;
  /** The per-IP verification limit (keyed by a pseudonym of the IP, never the IP). */
  readonly verifyIpLimit: VerifyIpLimit;
  readonly tokens: TokenService;
  readonly users: UserRepository;
  readonly audit: Pick<AuditStore, 'queryPage' | 'queryCursor'>;
  readonly jobs: JobsPort;
  readonly health: readonly HealthCheck[];
  /** Extra recognisers of "backing service down" errors (→ 503). */
  readonly unavailable?: readonly UnavailablePredicate[];
  /** The queues Bull Board shows at `/admin/queues` (full mode; absent: no dashboard). */
  readonly boardQueues?: readonly Queue[];
  /** A server span per request when tracing is on (`OTEL_TRACES_EXPORTER`). */
  readonly tracer?: Tracer;
  /** HTTP metrics and, on the app's port, `GET /metrics` (absent: no metrics). */
  readonly metrics?: ServiceMetrics;
}
