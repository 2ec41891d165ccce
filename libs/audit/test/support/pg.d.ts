// `pg` ships no types and @types/pg is not installed; the tests and the benchmark use only this
// much of it (a plain client for EXPLAIN with $n parameters, which slonik's tagged templates cannot take).
declare module 'pg' {
  interface QueryResult<R> {
    rows: R[];
  }
  class Client {
    constructor(config: { connectionString: string });
    connect(): Promise<void>;
    query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>>;
    end(): Promise<void>;
  }
  const pg: { Client: typeof Client };
  export default pg;
  export type { Client };
}
