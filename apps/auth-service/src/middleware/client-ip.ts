import { isIP } from 'node:net';
import type { Middleware } from 'koa';

/** Options of {@link clientIp}. */
export interface ClientIpOptions {
  /**
   * How many reverse proxies in front of the service to trust (`TRUST_PROXY`). `0`: the socket
   * address is the client. `n`: the client is the `n`-th address from the right of
   * `X-Forwarded-For` (each trusted proxy appends the address it received from).
   */
  readonly trustedHops: number;
}

function stripMappedPrefix(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/**
 * Resolves the client address into `ctx.state.clientIp`. Never trusts `X-Forwarded-For` unless
 * configured to, and then only as many hops as configured: a client can prepend anything.
 *
 * @param options - The number of trusted proxy hops.
 * @returns Koa middleware.
 * @example
 * ```ts
 * app.use(clientIp({ trustedHops: config.TRUST_PROXY }));
 * ```
 */
export function clientIp(options: ClientIpOptions): Middleware {
  const hops = options.trustedHops;
  return async function clientIp(ctx, next) {
    let ip = ctx.req.socket.remoteAddress ?? '';
    if (hops > 0) {
      const chain = ctx
        .get('X-Forwarded-For')
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0);
      // The socket peer is hop 1; X-Forwarded-For's last entry is what that proxy saw, and so on.
      // With fewer entries than hops (fewer proxies than configured), take the furthest one, as Express does.
      const candidate = chain[Math.max(0, chain.length - hops)];
      if (candidate !== undefined && isIP(candidate) !== 0) ip = candidate;
    }
    ctx.state.clientIp = stripMappedPrefix(ip);
    await next();
  };
}
