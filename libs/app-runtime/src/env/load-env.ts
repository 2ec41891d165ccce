import type { z } from 'zod';
import { AppConfigError } from '../errors.js';

/** An environment as `process.env` holds it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The one environment loader of both apps: validates `env` against an app's schema (the shared
 * variables spread in, plus the app's own) and returns the values under their variable names.
 * An empty or blank variable counts as unset, so its default applies: `PORT=` is port 3000, not 0.
 *
 * @param schema - The app's zod schema of its variables.
 * @param env - Usually `process.env`.
 * @returns The parsed values, keyed by variable name.
 * @throws {@link AppConfigError} naming every missing or invalid variable at once, `NAME: why`.
 * @example
 * ```ts
 * const env = loadEnv(z.object({ ...runtimeEnv, PORT: integerVariable(0, 65_535).default(3000) }), process.env);
 * ```
 */
export function loadEnv<S extends z.ZodType>(schema: S, env: Environment): z.output<S> {
  const parsed = schema.safeParse(withoutEmptyValues(env));
  if (parsed.success) return parsed.data;
  throw new AppConfigError(
    parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
  );
}

function withoutEmptyValues(env: Environment): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') present[name] = value;
  }
  return present;
}
