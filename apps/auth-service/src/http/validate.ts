import type { z } from 'zod';
import type { FieldError, FieldLocation } from '../errors/request-problems.js';
import { ValidationProblem } from '../errors/request-problems.js';

/**
 * Maps zod issues to per-field errors. Unknown keys become one error each, naming the key.
 *
 * @param issues - `ZodError.issues`.
 * @param location - Where the value came from.
 * @returns Field errors safe to show the client (zod messages describe types, never values).
 */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[], location: FieldLocation): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const prefix = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({ in: location, field: prefix ? `${prefix}.${key}` : key, message: 'Unknown field.' });
      }
    } else {
      errors.push({ in: location, field: prefix, message: issue.message });
    }
  }
  return errors;
}

/**
 * Validates one part of the request.
 *
 * @param schema - The operation's schema for this part.
 * @param value - The raw value (`ctx.request.body`, `ctx.query`).
 * @param location - `body`, `query` or `header`.
 * @returns The parsed value.
 * @throws {ValidationProblem} listing every invalid or unknown field.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: FieldLocation,
): z.output<S> {
  if (location === 'body' && (value === undefined || value === null)) {
    throw new ValidationProblem([{ in: 'body', field: '', message: 'A JSON object body is required.' }]);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationProblem(toFieldErrors(result.error.issues, location));
  return result.data;
}
