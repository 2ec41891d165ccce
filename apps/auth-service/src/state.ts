import type { Logger } from 'pino';
import type { ProblemFault } from './errors/problem.js';
import type { AccessPrincipal } from './tokens/token-types.js';

// Typed `ctx.state` for every middleware and route of this service.
declare module 'koa' {
  interface DefaultState {
    /** Set by `requestId()`: the inbound `X-Request-Id` when well-formed, else a new UUID. */
    requestId: string;
    /** Set by `requestLogger()`: a child logger bound to the request id. */
    log: Logger;
    /** Set by `clientIp()`: the socket address, or the `X-Forwarded-For` entry `TRUST_PROXY` hops back. */
    clientIp: string;
    /** Set by `authenticate()` when a valid access token was presented. */
    auth?: AccessPrincipal;
    /** Set by `errorHandler()` when the request failed: whose fault, which sets the log level. */
    fault?: ProblemFault;
  }
}

export {};
