/**
 * The deployment files, checked without a Docker engine (CI has none): docker-compose.yml, the
 * Dockerfile and .dockerignore are parsed and held to what the deployment needs. The central check: every command a
 * container runs is an npm script of the app that CI runs too (the e2e tests spawn exactly these
 * scripts through the same helper), so what compose runs is what the tests ran.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { effectiveInstructions, execForm, last, parseStages, type Stage } from './support/dockerfile.js';
import { isIgnored, parseDockerignore } from './support/dockerignore.js';
import { APPS, readPackageJson, readRepoFile, ROOT, scriptArgv, workspaceDirs } from './support/workspace.js';

// ---- docker-compose.yml ----------------------------------------------------------------------------

interface HealthCheck {
  readonly test?: string | readonly string[];
  readonly disable?: boolean;
}
interface Service {
  readonly image?: string;
  readonly build?: { readonly context?: string; readonly target?: string } | string;
  readonly command?: string | readonly string[];
  readonly environment?: Readonly<Record<string, string | number | boolean | null>> | readonly string[];
  readonly depends_on?: Readonly<Record<string, { readonly condition?: string }>> | readonly string[];
  readonly healthcheck?: HealthCheck;
  readonly profiles?: readonly string[];
  readonly volumes?: readonly string[];
  readonly ports?: readonly string[];
  readonly env_file?: readonly ({ readonly path: string; readonly required?: boolean } | string)[];
}
interface Compose {
  readonly services: Readonly<Record<string, Service>>;
}

const composeText = readRepoFile('docker-compose.yml');
// `merge: true` resolves the `<<: *anchor` merge keys as Compose does.
const compose = parse(composeText, { merge: true }) as Compose;

function service(name: string): Service {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no "${name}" service`);
  return found;
}

function environment(s: Service): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      (env as readonly string[]).map((e) => [e.split('=')[0]!, e.split('=').slice(1).join('=')]),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v ?? '')]));
}

function healthTest(s: Service): string {
  const test = s.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : String(test ?? '');
}

function condition(s: Service, dependency: string): string | undefined {
  const deps = s.depends_on;
  if (deps === undefined || Array.isArray(deps)) return undefined;
  return (deps as Record<string, { condition?: string }>)[dependency]?.condition;
}

function buildTarget(s: Service): string | undefined {
  return typeof s.build === 'object' ? s.build.target : undefined;
}

/** The app services built from this repository, with the app and script each must run. */
const APP_SERVICES = [
  { service: 'api', target: 'api', app: APPS.api, script: 'start' },
  { service: 'worker', target: 'worker', app: APPS.worker, script: 'start' },
  { service: 'migrate', target: 'api', app: APPS.api, script: 'migrate' },
  { service: 'api-load', target: 'api', app: APPS.api, script: 'start' },
] as const;

/** `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?err}`, `$NAME`; `$$` is a literal dollar. */
function interpolations(text: string): { name: string; hasDefault: boolean }[] {
  const found: { name: string; hasDefault: boolean }[] = [];
  const pattern = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[0] === '$$') continue;
    const name = match[1] ?? match[3]!;
    const operator = match[2] ?? '';
    found.push({ name, hasDefault: operator === '-' || operator === ':-' });
  }
  return found;
}

function withoutComments(yamlText: string): string {
  return yamlText
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .map((line) => line.replace(/\s+#\s.*$/, ''))
    .join('\n');
}

// ---- .env.example and the apps' sources ---------------------------------------------------------------

/** The libraries whose sources declare environment variables both apps read. */
const ENV_LIBRARIES = ['libs/app-runtime', 'libs/jobs'];
/** Where the variables both apps read are declared (zod shapes spread into each app's schema). */
const SHARED_ENV_FILES = [
  'libs/app-runtime/src/env/env-variables.ts',
  'libs/app-runtime/src/env/redis-env.ts',
  'libs/jobs/src/env/jobs-env.ts',
];

const ENV_EXAMPLE = path.join(ROOT, '.env.example');

/** Variable names documented in .env.example, set (`NAME=`) or commented out (`# NAME=`). */
function documentedVariables(): string[] {
  return [...readFileSync(ENV_EXAMPLE, 'utf8').matchAll(/^\s*#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(entry) && !/\.test\.ts$/.test(entry) ? [full] : [];
  });
}

/**
 * All non-test TypeScript the apps read their environment through, concatenated: apps/<app>/src
 * and the libraries that declare the variables both apps share (app-runtime, jobs).
 */
const appSources = [
  ...readdirSync(path.join(ROOT, 'apps')).map((app) => path.join(ROOT, 'apps', app, 'src')),
  ...ENV_LIBRARIES.map((lib) => path.join(ROOT, lib, 'src')),
]
  .filter((dir) => existsSync(dir))
  .flatMap(sourceFiles)
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');

function readByApps(name: string): boolean {
  return new RegExp(`\\b${name}\\b`).test(appSources);
}

// ---- Dockerfile -------------------------------------------------------------------------------------

const dockerfileText = readRepoFile('Dockerfile');
const stages: Stage[] = parseStages(dockerfileText);

describe('docker-compose.yml', () => {
  it('defines the whole stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'api-load', 'k6', 'mailpit', 'migrate', 'postgres', 'redis', 'worker'].sort(),
    );
  });

  it('uses official images pinned to a major version (never latest)', () => {
    expect(service('postgres').image).toMatch(/^postgres:17-alpine$/);
    expect(service('redis').image).toMatch(/^redis:[78]-alpine$/);
    expect(service('mailpit').image).toMatch(/^axllent\/mailpit:v1(\.\d+){0,2}$/);
    expect(service('k6').image).toMatch(/^grafana\/k6:\d+(\.\d+){0,2}$/);
    for (const [name, s] of Object.entries(compose.services)) {
      expect(s.image, `${name} image`).toBeDefined();
      expect(s.image, `${name} image tag`).not.toMatch(/:latest$/);
      expect(s.image, `${name} image tag`).toMatch(/:[^/]+$/);
    }
  });

  it('health-checks postgres, redis, mailpit, the API and the load-test API', () => {
    expect(healthTest(service('postgres'))).toMatch(/pg_isready/);
    expect(healthTest(service('redis'))).toMatch(/redis-cli ping/);
    expect(healthTest(service('mailpit'))).toMatch(/\/mailpit readyz/);
    expect(healthTest(service('api'))).toMatch(/^CMD node -e .*\/readyz/);
    expect(healthTest(service('api-load'))).toMatch(/^CMD node -e .*\/readyz/);
    // Containers that serve no HTTP must not inherit the image's /healthz check.
    expect(service('migrate').healthcheck?.disable).toBe(true);
  });

  it('health-checks the worker on its only port, the metrics listener, with the compose metrics token', () => {
    // Without a check `docker compose ps` can never show the worker healthy, whatever it does.
    const env = environment(service('worker'));
    const test = healthTest(service('worker'));
    expect(test).toMatch(/^CMD node -e /);
    expect(test).toContain(`http://127.0.0.1:${env.METRICS_PORT}/metrics`);
    expect(test).toContain("'Bearer ' + process.env.METRICS_TOKEN");
    expect(env.METRICS_TOKEN).toMatch(/^\$\{METRICS_TOKEN:-.{32,}\}$/);
  });

  it('runs Redis with AOF persistence and noeviction (BullMQ keeps every key)', () => {
    const command = [service('redis').command ?? []].flat().join(' ');
    expect(command).toMatch(/^redis-server\b/);
    expect(command).toMatch(/--appendonly yes\b/);
    expect(command).toMatch(/--maxmemory-policy noeviction\b/);
  });

  it('persists PostgreSQL and Redis in named volumes', () => {
    expect(service('postgres').volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(service('redis').volumes).toContain('redis-data:/data');
  });

  it('starts the API only on healthy PostgreSQL and Redis and after the migrations succeeded', () => {
    for (const name of ['api', 'api-load']) {
      const s = service(name);
      expect(condition(s, 'postgres'), name).toBe('service_healthy');
      expect(condition(s, 'redis'), name).toBe('service_healthy');
      expect(condition(s, 'migrate'), name).toBe('service_completed_successfully');
    }
    expect(condition(service('migrate'), 'postgres')).toBe('service_healthy');
    const worker = service('worker');
    expect(condition(worker, 'redis')).toBe('service_healthy');
    expect(condition(worker, 'migrate')).toBe('service_completed_successfully');
    expect(condition(worker, 'mailpit')).toBe('service_healthy');
    expect(condition(service('k6'), 'api-load')).toBe('service_healthy');
  });

  it('every command a container runs is the npm script CI runs for that app', () => {
    for (const { service: name, target, app, script } of APP_SERVICES) {
      const s = service(name);
      expect(buildTarget(s), `${name} build target`).toBe(target);
      expect(s.command, `${name} command = ${app} "${script}" script`).toEqual(scriptArgv(app, script));
      // The image's working directory is the app folder, so the script's relative paths hold.
      expect(last(stages, target, 'WORKDIR')?.args, `${target} WORKDIR`).toBe(`/app/${app}`);
    }
    // One image for the API and the migrations; one for the worker.
    expect(service('migrate').image).toBe(service('api').image);
    expect(service('api-load').image).toBe(service('api').image);
    expect(service('worker').image).not.toBe(service('api').image);
  });

  it('publishes the API on localhost:3000 and Mailpit on localhost:8025, loopback only', () => {
    expect(service('api').ports).toContain('127.0.0.1:${API_PORT:-3000}:3000');
    expect(service('mailpit').ports).toContain('127.0.0.1:${MAILPIT_UI_PORT:-8025}:8025');
    for (const [name, s] of Object.entries(compose.services)) {
      for (const port of s.ports ?? []) expect(port, `${name} port`).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('connects the apps to the compose services, with the worker emailing through Mailpit', () => {
    for (const { service: name } of APP_SERVICES) {
      const env = environment(service(name));
      expect(env.DATABASE_URL, name).toMatch(/^postgres:\/\/.+@postgres:5432\//);
      expect(env.REDIS_URL, name).toBe('redis://redis:6379');
      expect(env.NODE_ENV, name).toBe('production');
      expect(env.EMAIL_TRANSPORT, name).toBe('smtp');
      expect(env.SMTP_URL, name).toBe('smtp://mailpit:1025');
    }
    // Only the load-test API, reachable by k6 and loopback, trusts X-Forwarded-For.
    expect(environment(service('api')).TRUST_PROXY).toBe('${TRUST_PROXY:-0}');
    expect(environment(service('api-load')).TRUST_PROXY).toBe('1');
  });

  it('the API containers listen on every interface of their own network namespace (HOST=0.0.0.0)', () => {
    // The image and compose set it: the service's own default (and .env.example's) is loopback,
    // which inside a container would be unreachable through the published port.
    for (const name of ['api', 'api-load']) expect(environment(service(name)).HOST, name).toBe('0.0.0.0');
    expect(environment(service('worker')).HOST, 'the worker serves no HTTP').toBeUndefined();
  });

  it('works without a .env: secrets default to development values of at least 32 bytes', () => {
    const env = environment(service('api'));
    for (const name of ['JWT_SECRET', 'OTP_SECRET']) {
      const match = /^\$\{[A-Z_]+:-(.+)\}$/.exec(env[name] ?? '');
      expect(match, `${name} has a default`).not.toBeNull();
      expect(Buffer.byteLength(match![1]!), `${name} default length`).toBeGreaterThanOrEqual(32);
      expect(match![1], `${name} default says it is for development`).toMatch(/dev/);
    }
    const key = /^\$\{JOB_ENCRYPTION_KEY:-([0-9a-f]{64})\}$/.exec(env.JOB_ENCRYPTION_KEY ?? '');
    expect(key, 'JOB_ENCRYPTION_KEY default: 32 bytes as hex').not.toBeNull();
    for (const { service: name } of APP_SERVICES) {
      expect(service(name).env_file, `${name} env_file`).toEqual([{ path: '.env', required: false }]);
    }
  });

  it('every ${VAR} it interpolates has a default or is documented in .env.example', () => {
    const documented = documentedVariables();
    const undocumented = interpolations(withoutComments(composeText))
      .filter((v) => !v.hasDefault && !documented.includes(v.name))
      .map((v) => v.name);
    expect(undocumented).toEqual([]);
  });

  it('sets only variables the apps actually read', () => {
    for (const { service: name } of APP_SERVICES) {
      const unread = Object.keys(environment(service(name))).filter((key) => !readByApps(key));
      expect(unread, `${name} sets variables no app reads`).toEqual([]);
    }
  });

  it('runs k6 only in the `load` profile, against the load-test API, with the scripts mounted', () => {
    const k6 = service('k6');
    expect(k6.profiles).toEqual(['load']);
    expect(service('api-load').profiles).toEqual(['load']);
    expect(k6.volumes).toContain('./load-tests:/scripts:ro');
    expect(environment(k6)).toEqual({ BASE_URL: 'http://api-load:3000', MAILPIT_URL: 'http://mailpit:8025' });
    const command = [k6.command ?? []].flat();
    expect(command[0]).toBe('run');
    expect(existsSync(path.join(ROOT, 'load-tests', command[1]!.replace(/^\/scripts\//, '')))).toBe(true);
    for (const name of ['api', 'worker', 'postgres', 'redis', 'mailpit', 'migrate']) {
      expect(service(name).profiles, `${name} runs without a profile`).toBeUndefined();
    }
  });
});

/**
 * Where each app declares the environment it reads (zod schemas: one `NAME:` key per line): its
 * own config file and the shared declarations it spreads in.
 */
const CONFIG_FILES: Readonly<Record<string, readonly string[]>> = {
  [APPS.api]: ['apps/auth-service/src/config.ts', ...SHARED_ENV_FILES],
  [APPS.worker]: ['apps/worker/src/config.ts', ...SHARED_ENV_FILES],
};

function variablesReadBy(app: string): string[] {
  const names = CONFIG_FILES[app]!.flatMap((file) =>
    [...readRepoFile(file).matchAll(/^\s+([A-Z][A-Z0-9_]*): /gm)].map((m) => m[1]!),
  );
  return [...new Set(names)];
}

describe('.env.example', () => {
  it('documents only variables the apps or docker-compose.yml read (docs cannot drift)', () => {
    const composeReads = new Set(interpolations(withoutComments(composeText)).map((v) => v.name));
    const unread = documentedVariables().filter((name) => !readByApps(name) && !composeReads.has(name));
    expect(unread).toEqual([]);
  });

  it('listens on loopback outside containers: HOST=127.0.0.1', () => {
    const host = /^HOST=(.*)$/m.exec(readFileSync(ENV_EXAMPLE, 'utf8'))?.[1];
    expect(host).toBe('127.0.0.1');
  });

  it('every variable an app reads is set by compose or documented', () => {
    const documented = documentedVariables();
    for (const { service: name, app } of APP_SERVICES) {
      expect(variablesReadBy(app).length, `variables found in ${CONFIG_FILES[app]}`).toBeGreaterThan(5);
      const set = Object.keys(environment(service(name)));
      const neither = variablesReadBy(app).filter((v) => !set.includes(v) && !documented.includes(v));
      expect(neither, `${name} (${app}) reads variables neither set nor documented`).toEqual([]);
    }
  });
});

/** Stage bases with the Dockerfile's global `ARG NAME=default` values substituted. */
function globalArgs(): Record<string, string> {
  const args: Record<string, string> = {};
  for (const line of dockerfileText.split('\n')) {
    if (/^FROM\s/i.test(line)) break;
    const match = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)\s*$/i.exec(line.trim());
    if (match) args[match[1]!] = match[2]!;
  }
  return args;
}

function resolvedBase(stage: Stage): string {
  const args = globalArgs();
  return stage.base.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_, a, b) => args[a ?? b] ?? '',
  );
}

describe('Dockerfile', () => {
  it('has no `# syntax=` directive: the built-in BuildKit frontend, no image pulled (offline and mirrored builds)', () => {
    const directives = dockerfileText.split('\n').filter((line) => /^#\s*syntax\s*=/i.test(line.trim()));
    expect(directives).toEqual([]);
  });

  it('takes the base image as one build ARG (NODE_IMAGE, default node:24-alpine), used by every external stage', () => {
    expect(globalArgs()['NODE_IMAGE']).toBe('node:24-alpine');
    const names = stages.map((s) => s.name);
    const external = stages.filter((s) => !names.includes(s.base));
    expect(external.length).toBeGreaterThanOrEqual(2);
    for (const stage of external) expect(stage.base, `FROM of ${stage.name}`).toBe('${NODE_IMAGE}');
  });

  it('is multi-stage on node:24-alpine, with the api and worker targets', () => {
    expect(stages.length).toBeGreaterThanOrEqual(4);
    const names = stages.map((s) => s.name);
    for (const stage of stages) {
      const fromEarlierStage = names.includes(stage.base);
      expect(fromEarlierStage || resolvedBase(stage) === 'node:24-alpine', `FROM ${stage.base}`).toBe(true);
    }
    expect(names).toEqual(expect.arrayContaining(['deps', 'build', 'runtime', 'api', 'worker']));
  });

  it('installs from the lockfile with npm ci, with every workspace manifest copied first', () => {
    const deps = effectiveInstructions(stages, 'deps');
    expect(deps.some((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args))).toBe(true);
    const copied = deps.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copied).toContain('package.json package-lock.json ./');
    for (const dir of workspaceDirs()) {
      expect(copied, `deps stage copies ${dir}/package.json`).toContain(`${dir}/package.json ${dir}/`);
    }
  });

  it("lets the build's npm ci use a registry mirror (build arg) and an extra CA (build secret)", () => {
    const deps = effectiveInstructions(stages, 'deps');
    expect(
      deps.some(
        (i) => i.keyword === 'ARG' && /^NPM_REGISTRY=https:\/\/registry\.npmjs\.org\/?$/.test(i.args),
      ),
    ).toBe(true);
    const install = deps.find((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args))!;
    expect(install.args).toMatch(/--registry[= ]"?\$\{?NPM_REGISTRY\}?"?/);
    expect(install.args).toMatch(/--mount=type=secret,id=npm_ca\b/);
    expect(install.args).toMatch(/NODE_EXTRA_CA_CERTS=\/run\/secrets\/npm_ca/);
    // And the README says how.
    const readme = readRepoFile('README.md');
    expect(readme).toMatch(/--build-arg NPM_REGISTRY=/);
    expect(readme).toMatch(/--secret id=npm_ca,src=/);
  });

  it('builds only the two apps (Nx builds their libraries first) and keeps production dependencies only', () => {
    const build = effectiveInstructions(stages, 'build').filter((i) => i.keyword === 'RUN');
    const nx = build.find((i) => /nx run-many/.test(i.args));
    expect(nx?.args).toMatch(/-t build -p @tses\/auth-service @tses\/worker\b/);
    expect(build.some((i) => /npm (prune|ci) .*--omit=dev/.test(i.args))).toBe(true);
    const runtime = stages.find((s) => s.name === 'runtime')!;
    expect(resolvedBase(runtime)).toBe('node:24-alpine');
    expect(runtime.instructions.some((i) => i.keyword === 'ENV' && /NODE_ENV=production/.test(i.args))).toBe(
      true,
    );
  });

  it("copies into the build stage every repository file the built workspaces' build scripts run", () => {
    // e.g. `tsc -b … && node ../../scripts/bundle-dts.mjs index`: a script missing from the image
    // fails the build only inside Docker, which CI never runs.
    const build = effectiveInstructions(stages, 'build');
    const nxAt = build.findIndex((i) => i.keyword === 'RUN' && /nx run-many/.test(i.args));
    const copied = build
      .slice(0, nxAt)
      .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))
      .flatMap((i) =>
        i.args
          .split(/\s+/)
          .filter((w) => !w.startsWith('--'))
          .slice(0, -1),
      );
    const needed = workspaceDirs()
      .filter((dir) => /^(libs|apps)\//.test(dir))
      .flatMap((dir) => {
        const command = readPackageJson(dir).scripts?.build ?? '';
        return [...command.matchAll(/\bnode\s+(\S+\.[cm]?js)\b/g)].map((m) =>
          path.relative(ROOT, path.resolve(ROOT, dir, m[1]!)),
        );
      });
    expect(needed).toContain('scripts/bundle-dts.mjs');
    for (const file of new Set(needed)) {
      const covered = copied.some(
        (source) => file === source || file.startsWith(`${source.replace(/\/$/, '')}/`),
      );
      expect(covered, `build stage copies ${file} before the nx build`).toBe(true);
    }
  });

  it('prunes every package the lockfile marks as dev, devOptional (a dev tool a production package names as an optional peer) included', () => {
    const build = effectiveInstructions(stages, 'build').filter((i) => i.keyword === 'RUN');
    const prune = build.find((i) => /\bnpm prune\b/.test(i.args))!.args;
    const omitted = [...prune.matchAll(/--omit[= ](\w+)/g)].map((m) => m[1]);
    const lock = JSON.parse(readRepoFile('package-lock.json')) as {
      packages: Record<string, { dev?: boolean; optional?: boolean; devOptional?: boolean; link?: boolean }>;
    };
    // npm's rule: `dev` goes with --omit=dev, `optional` with --omit=optional, `devOptional` (in both
    // trees) only when both are omitted.
    const kept = Object.entries(lock.packages).filter(([location, entry]) => {
      if (!location.includes('node_modules/') || entry.link === true) return false;
      if (entry.dev === true) return !omitted.includes('dev');
      if (entry.devOptional === true) return !(omitted.includes('dev') && omitted.includes('optional'));
      if (entry.optional === true) return !omitted.includes('optional');
      return true;
    });
    const devOnly = kept
      .filter(([, entry]) => entry.dev === true || entry.devOptional === true)
      .map(([location]) => location);
    expect(devOnly).toEqual([]);
    // The toolchain, by name: none of it ships.
    const keptNames = new Set(kept.map(([location]) => location.replace(/^.*node_modules\//, '')));
    for (const name of ['typescript', 'vitest', 'nx', 'eslint', 'tsx', 'rollup', 'prettier']) {
      expect(keptNames.has(name), name).toBe(false);
    }
  });

  it('ships only what runs: package.json, dist and migrations of each workspace; no dangling links or empty scopes', () => {
    const runtime = stages.find((s) => s.name === 'runtime')!;
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    // Nothing copied wholesale from the build's source folders (src/, test/, bench/ would come along).
    for (const copy of copies) expect(copy, copy).not.toMatch(/--from=build \/app\/(libs|apps)\b/);
    expect(copies).toEqual(
      expect.arrayContaining(['--from=build /out/libs libs', '--from=build /out/apps apps']),
    );
    const build = effectiveInstructions(stages, 'build')
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args)
      .join('\n');
    // The staging copy takes exactly these entries of each workspace.
    expect(build).toMatch(/for dir in libs\/\* apps\/\*/);
    expect(build).toMatch(/\$dir\/package\.json/);
    expect(build).toMatch(/\$dir\/dist/);
    expect(build).toMatch(/\$dir\/migrations/);
    expect(build).not.toMatch(/\$dir\/(src|test|bench)\b/);
    // Workspaces that are not in the image leave links behind in node_modules/@tses: removed.
    for (const workspace of ['e2e', 'load-tests']) expect(build).toContain(`node_modules/@tses/${workspace}`);
    expect(build).toMatch(/find node_modules -maxdepth 1 -name '@\*' -type d -empty -delete/);
    expect(build).toMatch(/-name '\*\.tsbuildinfo' -delete/);
  });

  for (const { target, app } of [
    { target: 'api', app: APPS.api },
    { target: 'worker', app: APPS.worker },
  ]) {
    it(`${target} target: non-root, exec-form CMD = the app's start script`, () => {
      expect(last(stages, target, 'USER')?.args).toBe('node');
      const cmd = last(stages, target, 'CMD');
      expect(execForm(cmd?.args ?? ''), 'exec-form CMD').toEqual(scriptArgv(app, 'start'));
      expect(last(stages, target, 'ENTRYPOINT')).toBeUndefined();
    });
  }

  it('api target: HEALTHCHECK on /healthz with node, exec form; exposes the compose port; listens on all interfaces', () => {
    const healthcheck = last(stages, 'api', 'HEALTHCHECK')!;
    expect(healthcheck).toBeDefined();
    const command = execForm(healthcheck.args.replace(/^.*?\bCMD\s+/, ''));
    expect(command?.slice(0, 2)).toEqual(['node', '-e']);
    expect(command?.[2]).toMatch(/\/healthz/);
    expect(last(stages, 'api', 'EXPOSE')?.args).toBe('3000');
    const env = effectiveInstructions(stages, 'api')
      .filter((i) => i.keyword === 'ENV')
      .map((i) => i.args);
    expect(env.some((e) => /\bHOST=0\.0\.0\.0\b/.test(e))).toBe(true);
  });
});

describe('README', () => {
  it('says, next to the compose demo, that host clients share one per-IP budget, and the remedy', () => {
    const readme = readRepoFile('README.md');
    const start = readme.indexOf('### Everything in Docker');
    const section = readme.slice(start, readme.indexOf('\n### ', start + 10));
    expect(section).toMatch(/gateway/i);
    expect(section).toMatch(/per-IP/);
    expect(section).toMatch(/TRUST_PROXY/);
  });
});

describe('.dockerignore', () => {
  const rules = parseDockerignore(readRepoFile('.dockerignore'));

  it('keeps dependencies, build output, VCS data and secrets out of the build context', () => {
    for (const file of [
      'node_modules/koa/package.json',
      'libs/otp/node_modules/x/index.js',
      'apps/auth-service/dist/main.js',
      '.git/HEAD',
      '.env',
      '.env.local',
      '.nx/cache/x',
      '.tools/node24/bin/node',
      'tmp/redis-cluster/nodes.conf',
      'coverage/index.html',
      'tses-otp-0.1.0.tgz',
    ]) {
      expect(isIgnored(rules, file), file).toBe(true);
    }
  });

  it('keeps everything the Dockerfile copies', () => {
    const sources = parseStages(dockerfileText)
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))
      .flatMap((i) =>
        i.args
          .split(/\s+/)
          .filter((w) => !w.startsWith('--'))
          .slice(0, -1),
      );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(path.join(ROOT, source)), `${source} exists`).toBe(true);
      expect(isIgnored(rules, source), `${source} is in the build context`).toBe(false);
    }
    for (const file of ['.env.example', 'apps/auth-service/src/config.ts', 'libs/otp/src/index.ts']) {
      expect(isIgnored(rules, file), file).toBe(false);
    }
  });
});
