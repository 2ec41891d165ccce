import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { User, UserRepository } from './user-types.js';

/** Options of {@link PostgresUserRepository}. */
export interface PostgresUserRepositoryOptions {
  readonly pool: DatabasePool;
  /** Schema of the `users` table (default `public`; tests use a random one). */
  readonly schema?: string;
}

// slonik returns timestamptz as epoch milliseconds (STACK-NOTES).
const userRow = z.object({
  id: z.uuid(),
  email: z.string(),
  created_at: z.number(),
  last_login_at: z.number().nullable(),
});

// Built once: `findById` runs on every `GET /auth/me`.
const userId = z.uuid();

function toUser(row: z.output<typeof userRow>): User {
  return {
    id: row.id,
    email: row.email,
    createdAt: new Date(row.created_at),
    lastLoginAt: row.last_login_at === null ? null : new Date(row.last_login_at),
  };
}

/** {@link UserRepository} on PostgreSQL with slonik; rows are validated by the result-parser interceptor. */
export class PostgresUserRepository implements UserRepository {
  readonly #pool: DatabasePool;
  readonly #table;

  constructor(options: PostgresUserRepositoryOptions) {
    this.#pool = options.pool;
    this.#table = sql.identifier([options.schema ?? 'public', 'users']);
  }

  async recordLogin(email: string): Promise<User> {
    const row = await this.#pool.one(sql.type(userRow)`
      INSERT INTO ${this.#table} (email, last_login_at)
      VALUES (${email}, now())
      ON CONFLICT (email) DO UPDATE SET last_login_at = EXCLUDED.last_login_at
      RETURNING id, email, created_at, last_login_at
    `);
    return toUser(row);
  }

  async findById(id: string): Promise<User | undefined> {
    if (!userId.safeParse(id).success) return undefined;
    const row = await this.#pool.maybeOne(sql.type(userRow)`
      SELECT id, email, created_at, last_login_at FROM ${this.#table} WHERE id = ${id}
    `);
    return row === null ? undefined : toUser(row);
  }
}
