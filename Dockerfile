# syntax=docker/dockerfile:1

# TSES Auth Kit images: one Dockerfile, two runtime targets.
#   docker build --target api    -t tses-auth-kit/api .     # the Koa API; also runs the migrations
#                                                           # (docker run … tses-auth-kit/api node dist/migrate.js)
#   docker build --target worker -t tses-auth-kit/worker .  # the BullMQ worker
# `docker compose up --build` builds both (docker-compose.yml). e2e/test/deployment-files.test.ts parses
# this file in CI, where there is no Docker engine: keep the stages and instructions it checks.

# ---- deps: every workspace's dependencies, dev included, exactly as the lockfile says -------------------
FROM node:24-alpine AS deps
WORKDIR /app
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
# npm ci checks every workspace's package.json against package-lock.json, so each one is copied here
# (manifests only, so this layer is rebuilt only when dependencies change). The deployment test fails
# when a workspace is added to package.json but not to this list.
COPY package.json package-lock.json ./
COPY libs/redis-ratelimit/package.json libs/redis-ratelimit/
COPY libs/otp/package.json libs/otp/
COPY libs/audit/package.json libs/audit/
COPY apps/auth-service/package.json apps/auth-service/
COPY apps/worker/package.json apps/worker/
COPY load-tests/package.json load-tests/
COPY e2e/package.json e2e/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

# ---- build: only the two apps and the libraries they depend on (Nx builds ^build first) -----------------
FROM deps AS build
COPY nx.json tsconfig.base.json tsconfig.json ./
COPY libs libs
COPY apps apps
RUN npx nx run-many -t build -p @tses/auth-service @tses/worker --outputStyle=static
# Production dependencies only. `npm prune` keeps the workspace symlinks (node_modules/@tses/*) that
# point at the built libraries, which a fresh `npm ci --omit=dev` in another stage would need re-created.
RUN npm prune --omit=dev --no-audit --no-fund && rm -rf .nx

# ---- runtime: what both apps need at run time, owned by root and read-only for the `node` user ---------
FROM node:24-alpine AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/libs libs
COPY --from=build /app/apps apps

# ---- worker: consumes the send_otp_email and write_audit_log queues -------------------------------------
FROM runtime AS worker
WORKDIR /app/apps/worker
USER node
# Exec form: node is the process that receives SIGTERM on `docker stop` and drains in-flight jobs.
CMD ["node", "dist/main.js"]

# ---- api: the HTTP API and Swagger UI; `node dist/migrate.js` in this image applies the migrations -----
FROM runtime AS api
WORKDIR /app/apps/auth-service
ENV PORT=3000
EXPOSE 3000
USER node
# Liveness only (/healthz): the image has no curl, and node is always there. docker-compose.yml adds a
# readiness check on /readyz (Redis and PostgreSQL reachable) for the services that wait on the API.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
