import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/shutdown-app.ts', import.meta.url));

/** Starts the fixture; once it is ready, sends `signals` (ms apart); resolves with its exit and log. */
function run(env: Record<string, string>, signals: NodeJS.Signals[]) {
  const child = spawn(process.execPath, ['--conditions=@tses/source', '--import', 'tsx', fixture], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  let stdout = '';
  let sent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (sent || !stdout.includes('"msg":"ready"')) return;
    sent = true;
    signals.forEach((signal, i) => setTimeout(() => child.kill(signal), i * 100));
  });
  return new Promise<{ code: number | null; messages: string[] }>((resolve) =>
    child.on('exit', (code) =>
      resolve({
        code,
        // Sorted: pino writes stdout asynchronously, so lines logged within the same moment can
        // reach the pipe in another order when the process exits; what was logged is the point.
        messages: stdout
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as { msg: string }).msg)
          .sort(),
      }),
    ),
  );
}

describe('installGracefulShutdown', () => {
  it('on SIGTERM: closes, says bye and exits 0; a failing close exits 1; an overrun exits 1 at the bound; a second signal exits 1 at once', async () => {
    const [graceful, failing, overrun, impatient] = await Promise.all([
      run({ CLOSE_MS: '200' }, ['SIGTERM']),
      run({ CLOSE_MS: '0', CLOSE_FAILS: '1' }, ['SIGINT']),
      run({ CLOSE_MS: '10000', TIMEOUT_MS: '300' }, ['SIGTERM']),
      run({ CLOSE_MS: '10000' }, ['SIGTERM', 'SIGTERM']),
    ]);
    const logged = (...last: string[]) => ['ready', 'shutting down gracefully', 'closing', ...last].sort();
    expect(graceful).toEqual({ code: 0, messages: logged('closed', 'bye') });
    expect(failing).toEqual({ code: 1, messages: logged('shutdown failed') });
    expect(overrun).toEqual({ code: 1, messages: logged('shutdown timed out: exiting') });
    expect(impatient).toEqual({ code: 1, messages: logged('second signal: exiting without waiting') });
  });
});
