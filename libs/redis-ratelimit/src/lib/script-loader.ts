// Loads the Lua commands from `../commands/*.lua` (next to this file in `src/` and in `dist/`),
// inlines `--- @include "includes/x"` lines, and defines them once per ioredis client under a
// versioned name, so ioredis handles EVALSHA, the NOSCRIPT fallback and per-connection loading.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { VERSION } from './version.js';

const COMMANDS_DIR = new URL('../commands/', import.meta.url);

/** Script file stem → the number of keys it takes (`undefined`: passed per call). */
const SCRIPTS = {
  consumeWindow: 1,
  consumeWindows: undefined,
  peekWindow: 1,
  refundWindow: 1,
  recordFailure: 1,
  checkLockout: 1,
} as const;

export type ScriptName = keyof typeof SCRIPTS;

/** The versioned command name a script is registered under, e.g. `tses.consumeWindow:0.1.0`. */
export const commandName = (name: ScriptName): string => `tses.${name}:${VERSION}`;

const INCLUDE = /^--- @include "([\w/-]+)"\s*$/gm;

function readScript(file: string, seen = new Set<string>()): string {
  const source = readFileSync(new URL(file, COMMANDS_DIR), 'utf8');
  return source.replace(INCLUDE, (_line, include: string) => {
    if (seen.has(include)) return '';
    seen.add(include);
    return readScript(`${include}.lua`, seen);
  });
}

/** One script, ready for `defineCommand`; `sha` is its SHA1, the name `EVALSHA` knows it by. */
interface LoadedScript {
  readonly name: string;
  readonly stem: ScriptName;
  readonly lua: string;
  readonly sha: string;
  readonly numberOfKeys: number | undefined;
}

let loaded: readonly LoadedScript[] | undefined;

/** The scripts with includes resolved, read from disk once per process. */
function loadScripts(): readonly LoadedScript[] {
  loaded ??= Object.entries(SCRIPTS).map(([stem, numberOfKeys]) => {
    const lua = readScript(`${stem}-${numberOfKeys ?? 'n'}.lua`);
    return {
      name: commandName(stem as ScriptName),
      stem: stem as ScriptName,
      lua,
      sha: createHash('sha1').update(lua).digest('hex'),
      numberOfKeys,
    };
  });
  return loaded;
}

/** The SHA1 of a script, as ioredis computes it for `defineCommand` (`EVALSHA <sha>`). */
export function scriptSha(stem: ScriptName): string {
  return loadScripts().find((script) => script.stem === stem)!.sha;
}

/** The part of an ioredis client (`Redis` or `Cluster`) the loader uses. */
export interface ScriptHost {
  defineCommand(name: string, definition: { lua: string; numberOfKeys?: number }): void;
}

const defined = new WeakSet<object>();

/** Defines every script on `client` unless this process already did. */
export function defineScripts(client: ScriptHost): void {
  if (defined.has(client)) return;
  for (const { name, lua, numberOfKeys } of loadScripts()) {
    client.defineCommand(name, numberOfKeys === undefined ? { lua } : { lua, numberOfKeys });
  }
  defined.add(client);
}
