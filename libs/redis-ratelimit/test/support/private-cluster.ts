// A 3-primary Redis Cluster owned by one test file, on free ephemeral ports (each with its
// cluster bus port, +10000, free too; never the fixed ranges `scripts/redis-cluster.sh` uses): the
// only place the tests pause, kill, stall or flush a cluster node (never the shared cluster).
// `cluster-node-timeout` is long, so a node paused for a test is never failed over.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from '../../../../scripts/test-support/ports.mjs';
import { sleep } from './services.js';

const run = promisify(execFile);

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let tries = 0; ports.length < count && tries < 200; tries++) {
    const port = await freePort();
    if (port + 10_000 <= 65_535 && !ports.includes(port) && (await isFree(port + 10_000))) ports.push(port);
  }
  if (ports.length < count) throw new Error(`no ${count} free port pairs (port, port + 10000)`);
  return ports;
}

export class PrivateCluster {
  readonly #processes = new Map<number, ChildProcess>();
  readonly #dir = mkdtempSync(join(tmpdir(), 'tses-cluster-'));

  private constructor(readonly ports: readonly number[]) {}

  static async start(): Promise<PrivateCluster> {
    const cluster = new PrivateCluster(await freePorts(3));
    try {
      for (const port of cluster.ports) cluster.#spawn(port);
      for (const port of cluster.ports) await cluster.#waitForPing(port);
      const addresses = cluster.ports.map((port) => `127.0.0.1:${port}`);
      await run('redis-cli', [
        '--cluster',
        'create',
        ...addresses,
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      await cluster.#waitForState('ok');
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** Startup nodes for an ioredis `Cluster`. */
  get nodes(): { host: string; port: number }[] {
    return this.ports.map((port) => ({ host: '127.0.0.1', port }));
  }

  /** The port of the primary serving `key` (asked of the first node). */
  async ownerOf(key: string): Promise<number> {
    const admin = this.admin(this.ports[0]!);
    try {
      const slot = Number(await admin.call('CLUSTER', 'KEYSLOT', key));
      const ranges = (await admin.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      if (!range) throw new Error(`no node serves slot ${slot}`);
      return Number(range[2][1]);
    } finally {
      admin.disconnect();
    }
  }

  /** Freezes a node's process: it accepts TCP connections (the kernel does) but answers nothing. */
  pause(port: number): void {
    this.#processes.get(port)!.kill('SIGSTOP');
  }

  resume(port: number): void {
    this.#processes.get(port)!.kill('SIGCONT');
  }

  /** Kills a node (its connections drop; connecting to it is refused until `restart`). */
  async kill(port: number): Promise<void> {
    const child = this.#processes.get(port)!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts a killed node again: it rejoins with its slots (its data and scripts are gone). */
  async restart(port: number): Promise<void> {
    this.#spawn(port);
    await this.#waitForPing(port);
    await this.#waitForState('ok');
  }

  /** A plain connection to one node (not used by any limiter). */
  admin(port: number): Redis {
    const admin = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, lazyConnect: false });
    admin.on('error', () => undefined);
    return admin;
  }

  async stop(): Promise<void> {
    for (const [port, child] of this.#processes) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
      this.#processes.delete(port);
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #spawn(port: number): void {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(this.#dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        '30000',
        '--dir',
        this.#dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    );
    this.#processes.set(port, child);
  }

  async #waitForPing(port: number): Promise<void> {
    for (let i = 0; i < 100; i++) {
      try {
        await run('redis-cli', ['-p', String(port), 'ping']);
        return;
      } catch {
        await sleep(50);
      }
    }
    throw new Error(`redis-server did not start on port ${port}`);
  }

  async #waitForState(state: string): Promise<void> {
    for (let i = 0; i < 150; i++) {
      const infos = await Promise.all(
        this.ports.map((port) =>
          run('redis-cli', ['-p', String(port), 'cluster', 'info']).catch(() => undefined),
        ),
      );
      if (infos.every((info) => info?.stdout.includes(`cluster_state:${state}`))) return;
      await sleep(100);
    }
    throw new Error(`the private cluster did not reach cluster_state:${state}`);
  }
}
