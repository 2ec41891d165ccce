import type { Server } from 'node:http';
import { AppConfigError, installGracefulShutdown, startTracing } from '@tses/app-runtime';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createHttpServer } from './http/http-server.js';
import { createLogger } from './logger.js';
import { startServiceMetrics } from './metrics/start-metrics.js';
import { startEmbeddedRuntime } from './runtime/start-embedded.js';
import { startFullRuntime } from './runtime/start-full.js';

// The API process, loaded by main.ts once the Node.js version is checked. Full mode with REDIS_URL + DATABASE_URL,
// embedded mode with neither; see README.md.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof AppConfigError)) throw error;
    process.stderr.write(`${error.message}\n\nSee .env.example for every variable.\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.NODE_ENV === 'development' });
  // Before the runtime: the libraries take their meters and tracer from the global providers when built.
  const tracing = startTracing(config, 'tses-auth-service');
  let metrics;
  try {
    metrics = await startServiceMetrics(config);
  } catch (error) {
    logger.fatal({ err: { message: (error as Error).message } }, 'cannot serve metrics (METRICS_PORT)');
    process.exitCode = 1;
    return;
  }
  let runtime;
  try {
    runtime =
      config.mode === 'full'
        ? await startFullRuntime(config, logger)
        : await startEmbeddedRuntime(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, error instanceof Error ? error.message : 'start-up failed');
    process.exitCode = 1;
    return;
  }
  const { app } = createApp({
    ...runtime.deps,
    ...(metrics.metrics === undefined ? {} : { metrics: metrics.metrics }),
    ...(tracing === undefined ? {} : { tracer: tracing.tracer }),
  });
  const server = createHttpServer(app, { logger });
  server.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
    logger.info(
      { port, mode: config.mode, docs: `http://localhost:${port}/api/docs` },
      'auth service listening',
    );
  });
  installGracefulShutdown({
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    close: async () => {
      await stopAccepting(server);
      await runtime.close();
      await metrics.close();
      await tracing?.shutdown();
    },
  });
}

/** Stops taking connections, closes the idle keep-alive ones, and resolves once in-flight requests are done. */
function stopAccepting(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  return closed;
}

await main();
