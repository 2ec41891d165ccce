/**
 * slonik's `sql.type(schema)` only attaches the schema to the query; rows are validated by an
 * interceptor. This is the one from slonik's README, written against Standard Schema (slonik 49).
 */
import { SchemaValidationError, type Interceptor, type QueryResultRow } from 'slonik';

/** The name {@link createResultParserInterceptor} registers under; the store checks for it. */
export const RESULT_PARSER_INTERCEPTOR_NAME = 'tses-audit-result-parser';

/**
 * Creates the slonik interceptor that validates (and transforms) every row of a `sql.type(schema)`
 * query with that schema. Add it to your own pool if you pass one to `createPostgresAuditStore`.
 *
 * @returns A slonik `Interceptor`; rows that fail their schema raise slonik's `SchemaValidationError`.
 * @example
 * ```ts
 * const pool = await createPool(process.env.DATABASE_URL!, {
 *   interceptors: [createResultParserInterceptor()],
 * });
 * ```
 */
export function createResultParserInterceptor(): Interceptor {
  return {
    name: RESULT_PARSER_INTERCEPTOR_NAME,
    transformRow(context, query, row) {
      const parser = context.resultParser;
      if (!parser) return row;
      const result = parser['~standard'].validate(row);
      if (result instanceof Promise) {
        throw new SchemaValidationError(query, row, [
          { message: 'Asynchronous row schemas are not supported.' },
        ]);
      }
      if (result.issues) throw new SchemaValidationError(query, row, result.issues);
      return result.value as QueryResultRow;
    },
  };
}
