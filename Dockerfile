# TSES Auth Kit images: one Dockerfile, two runtime targets.
#   docker build --target api    -t tses-auth-kit/api .     # the Koa API; also runs the migrations
#                                                           # (docker run … tses-auth-kit/api node dist/migrate.js)
#   docker build --target worker -t tses-auth-kit/worker .  # the BullMQ worker
# `docker compose up --build` builds both (docker-compose.yml). e2e/test/deployment-files.test.ts parses
# this file in CI, where there is no Docker engine: keep the stages and instructions it checks.
# No `# syntax=` line: BuildKit's built-in frontend supports everything here (RUN --mount), and naming
# one makes every build pull a frontend image from Docker Hub, which fails offline or behind a mirror.
#
# Build arguments and secrets (README, "Building the images behind a mirror or a proxy"):
#   --build-arg NODE_IMAGE=<image>        the Node.js 24 base image (default node:24-alpine), e.g. a mirror's copy
#   --build-arg NPM_REGISTRY=<url>        the registry `npm ci` installs from (default the public npm registry)
#   --secret id=npm_ca,src=<ca.pem>       an extra root CA for that registry (a TLS-inspecting proxy), not kept in any layer

ARG NODE_IMAGE=node:24-alpine

# ---- deps: every workspace's dependencies, dev included, exactly as the lockfile says -------------------
FROM ${NODE_IMAGE} AS deps
ARG NPM_REGISTRY=https://registry.npmjs.org/
WORKDIR /app
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
# npm ci checks every workspace's package.json against package-lock.json, so each one is copied here
# (manifests only, so this layer is rebuilt only when dependencies change). The deployment test fails
# when a workspace is added to package.json but not to this list.
COPY package.json package-lock.json ./
COPY libs/core/package.json libs/core/
COPY libs/redis-ratelimit/package.json libs/redis-ratelimit/
COPY libs/otp/package.json libs/otp/
COPY libs/audit/package.json libs/audit/
COPY libs/app-runtime/package.json libs/app-runtime/
COPY libs/jobs/package.json libs/jobs/
COPY apps/auth-service/package.json apps/auth-service/
COPY apps/worker/package.json apps/worker/
COPY load-tests/package.json load-tests/
COPY e2e/package.json e2e/
# The lockfile's public registry URLs are rewritten to NPM_REGISTRY by npm itself (replace-registry-host).
RUN --mount=type=cache,target=/root/.npm --mount=type=secret,id=npm_ca \
  if [ -f /run/secrets/npm_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi \
  && npm ci --no-audit --no-fund --registry="$NPM_REGISTRY"

# ---- build: only the two apps and the libraries they depend on (Nx builds ^build first) -----------------
FROM deps AS build
COPY nx.json tsconfig.base.json tsconfig.json ./
# The libraries' build scripts run these (`node ../../scripts/…`): their .d.ts bundle and Lua files.
COPY scripts/bundle-dts.mjs scripts/copy-lua.mjs scripts/
COPY libs libs
COPY apps apps
RUN npx nx run-many -t build -p @tses/auth-service @tses/worker --outputStyle=static
# Production dependencies only. `npm prune` keeps the workspace symlinks (node_modules/@tses/*) that
# point at the built libraries, which a fresh `npm ci --omit=dev` in another stage would need re-created.
# --omit=optional as well: a devDependency that a production package names as an *optional peer*
# (typescript via valibot, the Redis clients and SDKs @tses/redis-ratelimit adapts to) is marked
# devOptional in the lockfile, and --omit=dev alone keeps those. What else goes is optional by
# definition (native accelerators with a JavaScript fallback, other platforms' binaries).
# Then what the image must not carry: the links of the two workspaces that are not in it (e2e,
# load-tests), the scope folders prune emptied (@nx), and TypeScript build info.
RUN npm prune --omit=dev --omit=optional --no-audit --no-fund \
  && rm -rf .nx node_modules/@tses/e2e node_modules/@tses/load-tests \
  && find node_modules -maxdepth 1 -name '@*' -type d -empty -delete
# /out holds what runs, per workspace: package.json (its exports map), dist and migrations. Never
# src/, test/ or bench/.
RUN for dir in libs/* apps/*; do \
      mkdir -p "/out/$dir" && cp "$dir/package.json" "/out/$dir/" && cp -R "$dir/dist" "/out/$dir/" \
      && if [ -d "$dir/migrations" ]; then cp -R "$dir/migrations" "/out/$dir/"; fi; \
    done \
  && find /out -name '*.tsbuildinfo' -delete

# ---- runtime: what both apps need at run time, owned by root and read-only for the `node` user ---------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /out/libs libs
COPY --from=build /out/apps apps

# ---- worker: consumes the send_otp_email and write_audit_log queues -------------------------------------
FROM runtime AS worker
WORKDIR /app/apps/worker
USER node
# Exec form: node is the process that receives SIGTERM on `docker stop` and drains in-flight jobs.
CMD ["node", "dist/main.js"]

# ---- api: the HTTP API and Swagger UI; `node dist/migrate.js` in this image applies the migrations -----
FROM runtime AS api
WORKDIR /app/apps/auth-service
# Every interface of the container's own network namespace: the service's default is loopback,
# which a published port could not reach.
ENV HOST=0.0.0.0 PORT=3000
EXPOSE 3000
USER node
# Liveness only (/healthz): the image has no curl, and node is always there. docker-compose.yml adds a
# readiness check on /readyz (Redis and PostgreSQL reachable) for the services that wait on the API.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
