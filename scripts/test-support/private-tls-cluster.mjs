// A one-node Redis Cluster that speaks only TLS, owned by one test file, on a spare loopback port:
// a throwaway CA signs a certificate for the name `localhost` alone (no IP address), and the node
// announces itself as `localhost`, as managed clusters announce names. A client therefore gets in
// only if it trusts the CA and checks the certificate against the name, not a resolved address.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.mjs';

const run = promisify(execFile);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function makeCertificates(dir) {
  const file = (name) => path.join(dir, name);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=tses-test-ca',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  ]);
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    file('node.key'),
    '-out',
    file('node.csr'),
  ]);
  await writeFile(file('san.ext'), 'subjectAltName=DNS:localhost\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    file('node.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('san.ext'),
    '-out',
    file('node.pem'),
  ]);
  return { ca: file('ca.pem'), cert: file('node.pem'), key: file('node.key') };
}

export class PrivateTlsCluster {
  #process;
  #dir;

  constructor(port, dir, files) {
    this.port = port;
    this.#dir = dir;
    this.files = files;
  }

  /** The value of `REDIS_CLUSTER_NODES` for it. */
  get nodes() {
    return `localhost:${this.port}`;
  }

  /** The CA certificate's path (for `NODE_EXTRA_CA_CERTS`). */
  get caFile() {
    return this.files.ca;
  }

  /** Runs `redis-cli` over TLS against the node; resolves with its output. */
  async cli(...args) {
    const { stdout } = await run('redis-cli', [
      '--tls',
      '--cacert',
      this.files.ca,
      '-h',
      'localhost',
      '-p',
      String(this.port),
      ...args,
    ]);
    return stdout;
  }

  /** Starts the node, gives it every slot, and resolves once the cluster is `ok`. */
  static async start() {
    const dir = await mkdtemp(path.join(tmpdir(), 'tses-tls-cluster-'));
    const files = await makeCertificates(dir);
    const cluster = new PrivateTlsCluster(await freePort(), dir, files);
    cluster.#process = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--tls-port',
        String(cluster.port),
        '--bind',
        '127.0.0.1',
        '--tls-cert-file',
        files.cert,
        '--tls-key-file',
        files.key,
        '--tls-ca-cert-file',
        files.ca,
        '--tls-auth-clients',
        'no',
        '--tls-cluster',
        'yes',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        path.join(dir, 'nodes.conf'),
        '--cluster-announce-hostname',
        'localhost',
        '--cluster-preferred-endpoint-type',
        'hostname',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; ; i++) {
      try {
        if ((await cluster.cli('ping')).trim() === 'PONG') break;
      } catch {
        // not listening yet
      }
      if (i > 100) throw new Error(`TLS redis-server did not start on port ${cluster.port}`);
      await sleep(50);
    }
    await cluster.cli('cluster', 'addslotsrange', '0', '16383');
    for (let i = 0; !(await cluster.cli('cluster', 'info')).includes('cluster_state:ok'); i++) {
      if (i > 100) throw new Error('the TLS cluster did not reach cluster_state:ok');
      await sleep(50);
    }
    return cluster;
  }

  /** Stops the node and removes its files. */
  async stop() {
    const child = this.#process;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await rm(this.#dir, { recursive: true, force: true });
  }
}
