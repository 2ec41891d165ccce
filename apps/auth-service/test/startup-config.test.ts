// The API process refuses a bad environment before it starts anything: the problems on stderr,
// one line each, exit code 1, no stack trace and no value (a variable may hold a secret).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/test-support/ports.mjs';

const cwd = fileURLToPath(new URL('..', import.meta.url));

/** Runs `src/main.ts` as its own process (tsx, the workspace source condition), with only `env`. */
function runMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=@tses/source', '--import', 'tsx', 'src/main.ts'], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { exited, output: () => ({ stdout, stderr }) };
}

describe('main.ts (the API process) with a bad Redis Cluster configuration', () => {
  it('exits 1 naming each problem: the bad node entry by its position, a bad REDIS_CLUSTER_TLS', async () => {
    const run = runMain({
      REDIS_CLUSTER_NODES: '10.0.0.1:6379,https://ops:s3cret-pw@10.0.0.2',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      REDIS_CLUSTER_TLS: 'maybe',
    });
    expect(await run.exited).toBe(1);
    const { stderr, stdout } = run.output();
    expect(stderr).toContain('Invalid environment configuration');
    expect(stderr).toContain(
      'REDIS_CLUSTER_NODES: must be host:port entries separated by commas, e.g. 10.0.0.1:6379,10.0.0.2:6379; entry 2 is not host:port with a port from 1 to 65535 (no scheme, no credentials: use REDIS_CLUSTER_PASSWORD)',
    );
    expect(stderr).toContain('REDIS_CLUSTER_TLS: must be true or false');
    expect(stderr).toContain('See .env.example for every variable.');
    expect(stderr).not.toContain('s3cret');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).toBe('');
  });

  it('exits 1 when no seed node answers, saying where it looked and never the password', async () => {
    const port = await freePort();
    const run = runMain({
      REDIS_CLUSTER_NODES: `127.0.0.1:${port}`,
      REDIS_CLUSTER_PASSWORD: 'cluster-s3cret',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      JWT_SECRET: 'j'.repeat(48),
      OTP_SECRET: 'o'.repeat(48),
      JOB_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      NODE_ENV: 'production',
    });
    expect(await run.exited).toBe(1);
    const { stdout, stderr } = run.output();
    const fatal = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((line) => line.level === 60);
    expect(fatal.map((line) => line.msg)).toEqual([
      `Redis is not reachable at 127.0.0.1:${port} (REDIS_CLUSTER_NODES)`,
    ]);
    expect(stdout + stderr).not.toContain('cluster-s3cret');
  });
});
