// The one Lua loader of the `@tses/*` libraries. A script is one `.lua` file named
// `<verbNoun>-<numberOfKeys>.lua` (`-n` when the number of keys varies per call) with a
// contract header; `--- @include "includes/x"` lines inline shared functions once. Each script is
// read on first use (an app on the memory store never reads one) and sent by its SHA1, so a
// lost script cache costs one `SCRIPT LOAD` and two versions of a library can share one Redis.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * A Lua script of a `@tses/*` library, as {@link runRedisScript} sends it.
 *
 * @example
 * ```ts
 * const { verifyOtp } = defineRedisScripts(new URL('./commands/', import.meta.url), '1.0.0', { verifyOtp: 4 });
 * verifyOtp.id; // 'tses.verifyOtp:1.0.0'
 * ```
 */
export interface RedisScript {
  /** `tses.<verbNoun>:<version>`: names the script in errors and logs. */
  readonly id: string;
  /** The file's stem, e.g. `consumeWindow`. */
  readonly name: string;
  /** How many `KEYS` a call passes; `undefined` when it varies per call (`-n` files). */
  readonly numberOfKeys: number | undefined;
  /** The source, includes resolved (read from disk on first access). */
  readonly lua: string;
  /** SHA1 of `lua`, the name `EVALSHA` knows the script by. */
  readonly sha: string;
}

const INCLUDE = /^--- @include "([\w/-]+)"\s*$/gm;

function readScript(dir: URL, file: string, seen: Set<string>): string {
  const source = readFileSync(new URL(file, dir), 'utf8');
  return source.replace(INCLUDE, (_line, include: string) => {
    if (seen.has(include)) return '';
    seen.add(include);
    return readScript(dir, `${include}.lua`, seen);
  });
}

class LuaFile implements RedisScript {
  readonly id: string;
  #lua: string | undefined;
  #sha: string | undefined;

  constructor(
    readonly dir: URL,
    readonly name: string,
    readonly numberOfKeys: number | undefined,
    version: string,
  ) {
    this.id = `tses.${name}:${version}`;
  }

  get lua(): string {
    this.#lua ??= readScript(this.dir, `${this.name}-${this.numberOfKeys ?? 'n'}.lua`, new Set());
    return this.#lua;
  }

  get sha(): string {
    this.#sha ??= createHash('sha1').update(this.lua).digest('hex');
    return this.#sha;
  }
}

/**
 * Declares a library's Lua scripts: one entry per `.lua` file in `dir`, the file's stem mapped
 * to its number of keys (`'n'` when it varies). Adding a script is one file and one entry.
 *
 * @param dir - The folder of the `.lua` files, as a `file:` URL ending in `/` (resolve it from
 *   the calling module's `import.meta.url`, so it works from `src/` and from `dist/`).
 * @param version - The library's version, carried by each script's `id`.
 * @param files - `{ verbNoun: numberOfKeys }`, e.g. `{ consumeWindow: 1, consumeWindows: 'n' }`.
 * @returns One {@link RedisScript} per entry; nothing is read from disk until first use.
 * @throws Never here; a missing file throws (`ENOENT`) on first use of that script.
 * @example
 * ```ts
 * const scripts = defineRedisScripts(new URL('../commands/', import.meta.url), VERSION, {
 *   verifyOtp: 4,
 *   storeCode: 1,
 * });
 * ```
 */
export function defineRedisScripts<const T extends Record<string, number | 'n'>>(
  dir: URL,
  version: string,
  files: T,
): { readonly [K in keyof T]: RedisScript } {
  const scripts: Record<string, RedisScript> = {};
  for (const [name, keys] of Object.entries(files)) {
    scripts[name] = new LuaFile(dir, name, keys === 'n' ? undefined : keys, version);
  }
  return scripts as { readonly [K in keyof T]: RedisScript };
}

const companions = new WeakMap<RedisScript, readonly RedisScript[]>();

/**
 * Declares scripts that are used side by side (a call's script and the script that sends many
 * such calls together): when a lost script cache makes one of them load, the others load with it
 * on the same node, so the next call of each does not meet `NOSCRIPT` first.
 */
export function loadTogether(...scripts: readonly RedisScript[]): void {
  for (const script of scripts) {
    companions.set(
      script,
      scripts.filter((other) => other !== script),
    );
  }
}

/** The scripts loaded along with `script` (see {@link loadTogether}). */
export function companionsOf(script: RedisScript): readonly RedisScript[] {
  return companions.get(script) ?? [];
}
