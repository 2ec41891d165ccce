import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { testServiceUrls } from '../../../scripts/check-services.mjs';
import { PrivateTlsCluster } from '../../../scripts/test-support/private-tls-cluster.mjs';
import { deleteKeysMatching } from '../../../scripts/test-support/redis-keys.mjs';

const { redisUrl, databaseUrl } = testServiceUrls();

const cwd = fileURLToPath(new URL('..', import.meta.url));

/** Runs `src/main.ts` as its own process (tsx, the workspace source condition), with only `env`. */
function runMain(env: Record<string, string>, untilStdout?: RegExp) {
  const child = spawn(process.execPath, ['--conditions=@tses/source', '--import', 'tsx', 'src/main.ts'], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  let signalled = false; // one SIGTERM: a second one means "exit now" (code 1)
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!signalled && untilStdout?.test(stdout)) signalled = child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    exited,
    output: () => ({ stdout, stderr }),
    kill: (signal: NodeJS.Signals = 'SIGKILL') => child.kill(signal),
  };
}

describe('main.ts (the worker process)', () => {
  it('refuses to start without its variables, naming each, and exits non-zero', async () => {
    const run = runMain({ WORKER_CONCURRENCY: 'many' });
    expect(await run.exited).toBe(1);
    const { stderr, stdout } = run.output();
    expect(stderr).toContain('[tses-worker] Invalid environment configuration');
    for (const line of [
      'REDIS_URL: is required',
      'DATABASE_URL: is required',
      'JOB_ENCRYPTION_KEY: is required',
      'WORKER_CONCURRENCY: must be a whole number from 1 to 100',
    ]) {
      expect(stderr).toContain(line);
    }
    expect(stdout).toBe('');
  });

  it('refuses a bad REDIS_CLUSTER_NODES at start: the message names the entry, no stack, no value', async () => {
    const run = runMain({
      REDIS_CLUSTER_NODES: '127.0.0.1:7000,redis://admin:s3cret@127.0.0.1:7001',
      DATABASE_URL: databaseUrl,
      JOB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    expect(await run.exited).toBe(1);
    const { stderr, stdout } = run.output();
    expect(stderr).toContain(
      'REDIS_CLUSTER_NODES: must be host:port entries separated by commas, e.g. 10.0.0.1:6379,10.0.0.2:6379; entry 2 is not host:port with a port from 1 to 65535 (no scheme, no credentials: use REDIS_CLUSTER_PASSWORD)',
    );
    expect(stderr).not.toContain('s3cret');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).toBe('');
  });

  it('consumes from a TLS Redis Cluster with REDIS_CLUSTER_TLS=true, checking the certificate by name', async () => {
    const cluster = await PrivateTlsCluster.start();
    const workerClients = async () =>
      (await cluster.cli('client', 'list')).split('\n').filter((line) => / name=tses-worker /.test(line))
        .length;
    const env = {
      REDIS_CLUSTER_NODES: cluster.nodes,
      REDIS_CLUSTER_TLS: 'true',
      DATABASE_URL: databaseUrl,
      JOB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      QUEUE_PREFIX: `tses-worker-tls-${randomUUID()}`,
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
    };
    try {
      // Without the CA the node's certificate is refused: the worker never gets in.
      const untrusted = runMain(env);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(await workerClients()).toBe(0);
      untrusted.kill();
      await untrusted.exited;

      const trusted = runMain({ ...env, NODE_EXTRA_CA_CERTS: cluster.caFile });
      const deadline = Date.now() + 15_000;
      while ((await workerClients()) === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await workerClients()).toBeGreaterThan(0);
      expect(await cluster.cli('--scan', '--pattern', `{${env.QUEUE_PREFIX}}:*`)).not.toBe('');
      trusted.kill('SIGTERM');
      expect(await trusted.exited).toBe(0);
    } finally {
      await cluster.stop();
    }
  });

  it('starts against real Redis and PostgreSQL, and exits 0 after a graceful SIGTERM', async () => {
    const prefix = `tses-worker-test-${randomUUID()}`;
    const run = runMain(
      {
        REDIS_URL: redisUrl,
        DATABASE_URL: databaseUrl,
        JOB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        QUEUE_PREFIX: prefix,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
      },
      /"msg":"worker running"/,
    );
    expect(await run.exited).toBe(0);
    const redis = new Redis(redisUrl);
    await deleteKeysMatching(redis, `${prefix}:*`);
    await redis.quit();
    const lines = run
      .output()
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        'worker started',
        'worker running',
        'shutting down gracefully',
        'worker closed',
        'bye',
      ]),
    );
    expect(lines.map((l) => l.msg)).toContain(
      'EMAIL_TRANSPORT=console in production: sign-in codes are printed to stdout, not emailed',
    );
  });
});
