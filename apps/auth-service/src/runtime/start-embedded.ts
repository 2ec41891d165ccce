import { emailTransportFromEnv } from '@tses/jobs';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createSigningKeys } from '../tokens/signing-keys.js';
import { buildEmbeddedDeps } from './embedded-deps.js';
import {
  appSettingsFrom,
  jwtSettingsFrom,
  otpSettingsFrom,
  secretOrEphemeral,
} from './settings-from-config.js';
import type { Runtime } from './start-full.js';

const BANNER = [
  '',
  '  ****************************************************************************',
  '  *  EMBEDDED MODE: no REDIS_URL and no DATABASE_URL.                         *',
  '  *  API and worker run in this one process on in-memory stores.             *',
  '  *  NOTHING PERSISTS: codes, tokens, users and the audit log vanish on exit. *',
  '  *  For local trials only; refused when NODE_ENV=production.                *',
  '  ****************************************************************************',
  '',
].join('\n');

/**
 * Embedded mode: memory stores, the worker's tasks in-process, email to the console (or SMTP).
 *
 * @param config - The validated configuration (mode `embedded`).
 * @param logger - The service logger.
 * @returns The runtime.
 */
export async function startEmbeddedRuntime(config: Config, logger: Logger): Promise<Runtime> {
  // The banner goes to stderr unformatted so nobody misses it among JSON log lines.
  process.stderr.write(`${BANNER}\n`);
  logger.warn({ mode: 'embedded' }, 'embedded mode: in-memory stores, nothing persists');
  const signingKeys = await createSigningKeys({
    secret:
      config.JWT_PRIVATE_KEY === undefined
        ? secretOrEphemeral(config.JWT_SECRET, 'JWT_SECRET', logger)
        : undefined,
    privateKeyPem: config.JWT_PRIVATE_KEY,
    publicKeyPem: config.JWT_PUBLIC_KEY,
    keyId: config.JWT_KEY_ID,
  });
  const transport = emailTransportFromEnv(config);
  const { deps, jobs } = buildEmbeddedDeps({
    logger,
    settings: appSettingsFrom(config),
    otpSecret: secretOrEphemeral(config.OTP_SECRET, 'OTP_SECRET', logger),
    otpSettings: otpSettingsFrom(config),
    signingKeys,
    jwt: jwtSettingsFrom(config),
    transport,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
  return {
    deps,
    async close() {
      await jobs.close();
      await transport.close();
    },
  };
}
