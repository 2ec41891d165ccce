/**
 * The Node.js check both apps run before anything else (`@tses/app-runtime/node-version`). This
 * module imports nothing and uses no syntax or API newer than Node 14, so it runs, and says what is
 * wrong, on the old Node it refuses.
 */

/** The oldest Node.js major the apps run on (`engines.node` of both apps' package.json). */
export const MINIMUM_NODE_MAJOR = 24;

/**
 * The one-line refusal for a Node.js version, or `undefined` when it is supported.
 *
 * @param app - The app's name, for the message.
 * @param version - `process.version` (`v20.19.5`).
 * @returns The message, without a trailing newline.
 * @example
 * ```ts
 * unsupportedNodeMessage('auth-service', 'v20.19.5'); // "auth-service needs Node.js 24 or later; …"
 * ```
 */
export function unsupportedNodeMessage(app: string, version: string): string | undefined {
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
  if (major >= MINIMUM_NODE_MAJOR) return undefined;
  return (
    `${app} needs Node.js ${MINIMUM_NODE_MAJOR} or later; this is Node.js ${version}. ` +
    `Install Node.js ${MINIMUM_NODE_MAJOR} LTS (nvm install ${MINIMUM_NODE_MAJOR}, as in .nvmrc; or https://nodejs.org/en/download) and start it again.`
  );
}

/**
 * Exits the process with code 1 and one line on stderr when this Node.js is too old. Call it
 * first in an entry point, then `await import()` the real program: static imports would be
 * loaded (and could fail with a cryptic error) before the check runs.
 *
 * @param app - The app's name, for the message.
 * @example
 * ```ts
 * exitOnUnsupportedNode('tses-worker');
 * await import('./process/run-worker-process.js');
 * ```
 */
export function exitOnUnsupportedNode(app: string): void {
  const message = unsupportedNodeMessage(app, process.version);
  if (message === undefined) return;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
