// A redis-server owned by one test file, on a spare loopback port: the only place tests stop a
// server, restart it or run SCRIPT FLUSH (never on the shared one at 6379). Empty on every start
// (`--save '' --appendonly no`), so after a restart any count comes from a replay.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './ports.mjs';

const run = promisify(execFile);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class PrivateRedis {
  #process;

  constructor(port) {
    this.port = port;
  }

  /** Starts a server on a free port. */
  static async start() {
    const server = new PrivateRedis(await freePort());
    await server.start();
    return server;
  }

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port; resolves once it answers PING. */
  async start() {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    this.#process = spawn('redis-server', args, { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        const { stdout } = await run('redis-cli', ['-p', String(this.port), 'ping']);
        if (stdout.trim() === 'PONG') return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** Kills the server (SIGKILL: connections drop as in a crash). */
  async stop() {
    const child = this.#process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.#process = undefined;
  }

  /** A plain admin connection (not used by any code under test). */
  admin() {
    const admin = new Redis(this.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    admin.on('error', () => undefined); // the server is stopped on purpose
    return admin;
  }
}
