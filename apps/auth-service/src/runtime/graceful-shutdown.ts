import type { Server } from 'node:http';
import type { Logger } from 'pino';

/** Options of {@link installGracefulShutdown}. */
export interface GracefulShutdownOptions {
  readonly server: Server;
  readonly logger: Logger;
  /** Upper bound for in-flight requests and `close`, ms. */
  readonly timeoutMs: number;
  /** Releases everything else (job publisher/runner, Redis, pool), after the server stopped. */
  readonly close: () => Promise<void>;
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * On SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish (bounded), close
 * idle keep-alive sockets, then release resources and exit. A second signal exits at once.
 *
 * @param options - Server, logger, bound and resource cleanup.
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): void {
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      options.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    shuttingDown = true;
    options.logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      options.logger.error({ timeout_ms: options.timeoutMs }, 'shutdown timed out: exiting');
      process.exit(1);
    }, options.timeoutMs);
    timer.unref();
    try {
      const closed = new Promise<void>((resolve) => options.server.close(() => resolve()));
      options.server.closeIdleConnections();
      await closed;
      await options.close();
      options.logger.info('shutdown complete');
      process.exit(0);
    } catch (error) {
      options.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) process.on(signal, (s) => void shutdown(s));
}
