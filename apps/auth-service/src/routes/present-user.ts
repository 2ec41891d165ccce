import type { User } from '../users/user-types.js';

/** The API's JSON form of a user (snake_case, ISO 8601 instants). */
export interface UserJson {
  readonly id: string;
  readonly email: string;
  readonly created_at: string;
  readonly last_login_at: string | null;
}

/**
 * Presents a user.
 *
 * @param user - The stored user.
 * @returns Its JSON form.
 */
export function presentUser(user: User): UserJson {
  return {
    id: user.id,
    email: user.email,
    created_at: user.createdAt.toISOString(),
    last_login_at: user.lastLoginAt === null ? null : user.lastLoginAt.toISOString(),
  };
}
