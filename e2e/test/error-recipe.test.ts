/**
 * One error recipe in every package (jose's `src/util/errors.ts` is the model): a base class per
 * package, each class with a `static code` and the same `code` on its instances (an
 * `ERR_<PACKAGE>…` literal of the package's `…ErrorCode` union), `name` the class name, `cause`
 * kept, a stack that starts at the throw; configuration faults named `<Package>ConfigError`.
 */
import * as appRuntime from '@tses/app-runtime';
import * as audit from '@tses/audit';
import * as jobs from '@tses/jobs';
import * as otp from '@tses/otp';
import * as limiter from '@tses/redis-ratelimit';
import { describe, expect, it } from 'vitest';

type ErrorClass = (new (...args: never[]) => Error) & { readonly code: string };

/** Every exported class of a package that extends its base error, with the arguments to build one. */
const PACKAGES: ReadonlyArray<{
  readonly name: string;
  readonly prefix: string;
  readonly base: ErrorClass;
  readonly config: ErrorClass;
  readonly exports: Record<string, unknown>;
  readonly args?: Readonly<Record<string, readonly unknown[]>>;
}> = [
  {
    name: '@tses/redis-ratelimit',
    prefix: 'ERR_RATELIMIT',
    base: limiter.RateLimitError,
    config: limiter.RateLimitConfigError,
    exports: limiter,
  },
  { name: '@tses/otp', prefix: 'ERR_OTP', base: otp.OtpError, config: otp.OtpConfigError, exports: otp },
  {
    name: '@tses/audit',
    prefix: 'ERR_AUDIT',
    base: audit.AuditError,
    config: audit.AuditConfigError,
    exports: audit,
    args: { AuditValidationError: [[{ field: 'email', message: 'Must be an email address.' }]] },
  },
  {
    name: '@tses/jobs',
    prefix: 'ERR_JOB',
    base: jobs.JobError,
    config: jobs.JobConfigError,
    exports: jobs,
    args: { InvalidJobPayloadError: ['send_otp_email', ['otp: required']] },
  },
  {
    name: '@tses/app-runtime',
    prefix: 'ERR_APP',
    base: appRuntime.AppError,
    config: appRuntime.AppConfigError,
    exports: appRuntime,
    args: { AppConfigError: [['PORT: must be a whole number from 0 to 65535']] },
  },
];

describe.each(PACKAGES)('$name', ({ prefix, base, config, exports, args = {} }) => {
  const classes = Object.entries(exports).filter(
    (entry): entry is [string, ErrorClass] =>
      typeof entry[1] === 'function' && (entry[1] === base || entry[1].prototype instanceof base),
  );

  it('names its configuration fault <Package>ConfigError, ERR_<PACKAGE>_CONFIG', () => {
    expect(config.name).toMatch(/ConfigError$/);
    expect(config.code).toBe(`${prefix}_CONFIG`);
  });

  it('gives every error class a static code, the same code on instances, its name, cause and stack', () => {
    expect(classes.length).toBeGreaterThanOrEqual(2);
    const seen = new Set<string>();
    for (const [exported, ErrorClass] of classes) {
      expect(ErrorClass.code, exported).toMatch(new RegExp(`^${prefix}(_[A-Z_]+)?$`));
      const built = new ErrorClass(...((args[ErrorClass.name] ?? ['what went wrong']) as never[]));
      expect(built, exported).toBeInstanceOf(base);
      expect({ name: built.name, code: (built as unknown as { code: string }).code }, exported).toEqual({
        name: ErrorClass.name,
        code: ErrorClass.code,
      });
      expect(built.stack?.split('\n')[1], exported).not.toMatch(/errors\.(ts|js)/);
      seen.add(ErrorClass.code);
    }
    // Each class its own code (a deprecated alias exports the same class under an older name).
    expect(seen.size).toBe(new Set(classes.map(([, c]) => c)).size);
    const cause = new Error('socket hang up');
    const Plain = classes.find(([, c]) => !(c.name in args))![1];
    const wrapped = new Plain(...(['outer', { cause }] as never[]));
    expect(wrapped.cause).toBe(cause);
  });
});

it('@tses/audit keeps its 0.1.0 name of the configuration error as a deprecated alias of the same class', () => {
  expect(audit.AuditConfigurationError).toBe(audit.AuditConfigError);
});
