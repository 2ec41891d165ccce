import type { Context } from 'koa';
import type { z } from 'zod';
import type { ZodOpenApiResponsesObject } from 'zod-openapi';

/** Whether an operation needs a bearer access token. `optional`: used when valid, ignored otherwise. */
export type AuthMode = 'none' | 'optional' | 'required';

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

/** The validated input a handler receives. */
export interface RouteInput<B, Q> {
  readonly body: Infer<B>;
  readonly query: Infer<Q>;
}

/** A named request example for the docs. */
export interface RequestExample {
  readonly summary: string;
  readonly value: unknown;
}

/**
 * One entry of the route table: it drives routing, input validation and the OpenAPI document,
 * so the three cannot drift apart.
 */
export interface Route<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
> {
  readonly operationId: string;
  readonly method: 'get' | 'post';
  /** Koa path without parameters; the same string is the OpenAPI path. A trailing slash also matches. */
  readonly path: string;
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description: string;
  readonly auth: AuthMode;
  /** Whether the operation touches Redis/PostgreSQL (adds 503 to its documented responses). */
  readonly usesBackingServices: boolean;
  /** JSON request body schema (a strict object: unknown fields are rejected). */
  readonly body?: B;
  readonly bodyExamples?: Readonly<Record<string, RequestExample>>;
  /** Query schema (a strict object). */
  readonly query?: Q;
  /** The operation's own responses; shared ones (400/413/415/401/500/503) are added from the flags above. */
  readonly responses: ZodOpenApiResponsesObject;
  /** Replaces the shared 400 schema when the operation has its own 400 kinds. */
  readonly badRequest?: { readonly schema: z.ZodType; readonly description: string };
  /** Served but left out of the OpenAPI document (static assets). */
  readonly hidden?: boolean;
  /**
   * Validate, call a service, present: nothing else. The router has already set
   * `Cache-Control: no-store`; a handler whose answer may be cached sets its own.
   */
  handler(ctx: Context, input: RouteInput<B, Q>): Promise<void> | void;
}

/** A route of any input types, as the router and the document builder see it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table is heterogeneous by design
export type AnyRoute = Route<any, any>;

/**
 * Declares a route with its input types inferred from its schemas.
 *
 * @param route - The route definition.
 * @returns The same object, typed.
 * @example
 * ```ts
 * const healthz = defineRoute({ operationId: 'healthz', method: 'get', path: '/healthz', … });
 * ```
 */
export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(route: Route<B, Q>): Route<B, Q> {
  return route;
}
