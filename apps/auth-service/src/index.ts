/**
 * `@tses/auth-service`: the Koa REST API for email-OTP authentication. The public surface is
 * what tests, the benchmark and the e2e suite build the service from.
 *
 * @packageDocumentation
 */
export { createApp } from './app.js';
export type { AuthApp } from './app.js';
export type { AppDeps, AppSettings, HealthCheck, JobsPort, OtpPort } from './app-deps.js';
export type { VerifyIpLimit } from './limits/verify-ip-limit.js';
export { loadConfig } from './config.js';
export type { Config, Env } from './config.js';
export { createHttpServer } from './http/http-server.js';
export type { HttpServerOptions } from './http/http-server.js';
export { createLogger } from './logger.js';
export type { CreateLoggerOptions } from './logger.js';
export { serviceMigrationsDir } from './migrate.js';
export { startServiceMetrics } from './metrics/start-metrics.js';
export type { StartedMetrics } from './metrics/start-metrics.js';
export type { ServiceMetrics } from './metrics/service-metrics.js';
export { createOpenApiDocument } from './openapi/document.js';
export type { OpenApiDocument } from './openapi/document.js';
export type { JwtSettings, ServiceOptions } from './runtime/auth-services.js';
export { buildEmbeddedDeps } from './runtime/embedded-deps.js';
export type { EmbeddedDeps, EmbeddedDepsOptions } from './runtime/embedded-deps.js';
export { connectRedis } from './runtime/connect-redis.js';
export { buildFullDeps } from './runtime/full-deps.js';
export type { FullDeps, FullDepsOptions } from './runtime/full-deps.js';
export { createSigningKeys } from './tokens/signing-keys.js';
export type { SigningKeys } from './tokens/signing-keys.js';
export { JwtTokenService } from './tokens/jwt-token-service.js';
export type { AccessPrincipal, IssuedTokens, TokenService } from './tokens/token-types.js';
