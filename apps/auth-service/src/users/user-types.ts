/** A user: created on the first successful OTP verification. */
export interface User {
  readonly id: string;
  /** Normalised email address (unique). */
  readonly email: string;
  readonly createdAt: Date;
  /** The latest successful verification; `null` never happens after `recordLogin`, kept for imported rows. */
  readonly lastLoginAt: Date | null;
}

/** Storage of users; PostgreSQL in full mode, memory in embedded mode. */
export interface UserRepository {
  /** Creates the user on first login, or updates `last_login_at`; one statement, safe under concurrency. */
  recordLogin(email: string): Promise<User>;
  findById(id: string): Promise<User | undefined>;
}
