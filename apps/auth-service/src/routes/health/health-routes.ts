import { z } from 'zod';
import type { AppDeps, HealthCheck } from '../../app-deps.js';
import { HttpProblem, PROBLEM_TYPE_BASE } from '../../errors/problem.js';
import { defineRoute } from '../../http/route.js';
import { problemBase, typeOf } from '../../openapi/problem-schemas.js';
import { jsonResponse, problemResponse } from '../../openapi/responses.js';

const CHECK_TIMEOUT_MS = 1_000;

const checkState = z.enum(['up', 'down']);

const readinessChecks = z
  .record(z.string(), checkState)
  .meta({ description: 'State of each dependency.', example: { redis: 'up', postgres: 'up' } });

const readyResponse = z
  .object({ status: z.literal('ready'), checks: readinessChecks })
  .meta({ id: 'Readiness', example: { status: 'ready', checks: { redis: 'up', postgres: 'up' } } });

const notReadyProblem = z
  .object({ ...problemBase, type: typeOf('not-ready'), status: z.literal(503), checks: readinessChecks })
  .meta({
    id: 'NotReadyProblem',
    example: {
      type: `${PROBLEM_TYPE_BASE}not-ready`,
      title: 'Not ready',
      status: 503,
      detail: 'A dependency is unreachable: postgres.',
      checks: { redis: 'up', postgres: 'down' },
    },
  });

async function probe(check: HealthCheck): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check.check(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

/** `GET /healthz`: the process is alive (no dependency is checked). */
export function healthzRoute() {
  return defineRoute({
    operationId: 'healthz',
    method: 'get',
    path: '/healthz',
    tags: ['Health'],
    summary: 'Liveness probe',
    description:
      'Answers 200 while the process can serve HTTP. Checks no dependency: restart only on this failing.',
    auth: 'none',
    usesBackingServices: false,
    responses: {
      '200': jsonResponse(
        'Alive.',
        z.object({ status: z.literal('ok') }).meta({ id: 'Liveness', example: { status: 'ok' } }),
      ),
    },
    handler(ctx) {
      ctx.body = { status: 'ok' };
    },
  });
}

/** `GET /readyz`: Redis and PostgreSQL answer. */
export function readyzRoute(deps: Pick<AppDeps, 'health'>) {
  return defineRoute({
    operationId: 'readyz',
    method: 'get',
    path: '/readyz',
    tags: ['Health'],
    summary: 'Readiness probe',
    description: `Checks that every dependency (Redis, PostgreSQL; none in embedded mode) answers within ${CHECK_TIMEOUT_MS} ms. Send traffic only while this is 200.`,
    auth: 'none',
    usesBackingServices: false,
    responses: {
      '200': jsonResponse('Every dependency answers.', readyResponse),
      '503': problemResponse('At least one dependency is unreachable; `checks` says which.', notReadyProblem),
    },
    async handler(ctx) {
      const states = await Promise.all(
        deps.health.map(async (check) => [check.name, await probe(check)] as const),
      );
      const checks = Object.fromEntries(states);
      const down = states.filter(([, state]) => state === 'down').map(([name]) => name);
      if (down.length > 0) {
        throw new HttpProblem({
          slug: 'not-ready',
          status: 503,
          title: 'Not ready',
          detail: `A dependency is unreachable: ${down.join(', ')}.`,
          extensions: { checks },
        });
      }
      ctx.body = { status: 'ready', checks };
    },
  });
}
