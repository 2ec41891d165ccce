import { randomUUID } from 'node:crypto';
import type { User, UserRepository } from './user-types.js';

/** {@link UserRepository} in process memory, for embedded mode. */
export class MemoryUserRepository implements UserRepository {
  readonly #byEmail = new Map<string, User>();
  readonly #byId = new Map<string, User>();

  async recordLogin(email: string): Promise<User> {
    const now = new Date();
    const existing = this.#byEmail.get(email);
    const user: User =
      existing === undefined
        ? { id: randomUUID(), email, createdAt: now, lastLoginAt: now }
        : { ...existing, lastLoginAt: now };
    this.#byEmail.set(email, user);
    this.#byId.set(user.id, user);
    return user;
  }

  async findById(id: string): Promise<User | undefined> {
    return this.#byId.get(id);
  }
}
