/**
 * `@tses/redis-ratelimit/valkey-glide`: the adapter for `@valkey/valkey-glide` clients (an optional
 * peer dependency, loaded only by this entry point).
 *
 * @packageDocumentation
 */
export { glideScriptClient } from './clients/valkey-glide/glide-script-client.js';
export type { GlideLikeClient } from './clients/valkey-glide/glide-script-client.js';
