/**
 * Swagger UI in a real browser: headless Chromium (Debian's `chromium`, driven by
 * playwright-core) opens `/api/docs` of the real built service, every operation of `/api/schema`
 * is listed with its request body and responses and every component schema is shown, and the OTP
 * request executed from the page ("Try it out" → body → Execute) gets a 202. Requests that leave the
 * machine are blocked: the page must work offline (the service serves Swagger UI's assets itself).
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, keepOnOrigin, launchChromium } from './support/chromium.js';
import { missingBuildOutputs, startStack, type Stack } from './support/stack.js';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface OpenApiOperation {
  readonly requestBody?: unknown;
  readonly responses?: Readonly<Record<string, unknown>>;
}
interface OpenApiDocument {
  readonly paths: Readonly<
    Record<string, Readonly<Partial<Record<(typeof METHODS)[number], OpenApiOperation>>>>
  >;
  readonly components?: { readonly schemas?: Readonly<Record<string, unknown>> };
}

const missing = missingBuildOutputs();
const reason =
  chromiumMissing() ??
  (missing.length > 0
    ? `build the apps first (npx nx run-many -t build); missing ${missing.join(', ')}`
    : undefined);

describe.skipIf(reason !== undefined)('Swagger UI in headless Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let schema: OpenApiDocument;
  const offsite: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // The page talks from 127.0.0.1 itself; a high per-IP budget keeps reruns within the hour green.
    stack = await startStack({ apiEnv: { TRUST_PROXY: '0', OTP_REQUESTS_PER_IP: '100000' } });
    schema = (await (await fetch(`${stack.baseUrl}/api/schema`)).json()) as OpenApiDocument;
    browser = await launchChromium();
    page = await browser.newPage();
    // koa2-swagger-ui's page template links Google Fonts; without them the page falls back to
    // local fonts and works the same, so that one is blocked but tolerated.
    await keepOnOrigin(
      page,
      new URL(stack.baseUrl).origin,
      offsite,
      /^https:\/\/fonts\.(googleapis|gstatic)\.com\//,
    );
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${stack.baseUrl}/api/docs`);
    await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('loads with no script, style or API request leaving the machine, and no script error', () => {
    expect(offsite).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('lists every operation of /api/schema, each with its request body and every response', async () => {
    const expected = Object.entries(schema.paths).flatMap(([route, item]) =>
      METHODS.filter((m) => item[m] !== undefined).map((method) => ({
        method,
        route,
        operation: item[method]!,
      })),
    );
    expect(expected.length).toBeGreaterThan(0);

    // Open every collapsed tag section so each operation is rendered.
    for (const tag of await page.locator('.opblock-tag-section:not(.is-open) .opblock-tag').all())
      await tag.click();
    const listed = await page
      .locator('.opblock')
      .evaluateAll((blocks) =>
        blocks.map(
          (b) =>
            `${b.querySelector('.opblock-summary-method')?.textContent?.toLowerCase()} ${b.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
        ),
      );
    expect(listed.sort()).toEqual(expected.map((e) => `${e.method} ${e.route}`).sort());

    for (const { method, route, operation } of expected) {
      const block = page
        .locator(`.opblock.opblock-${method}`)
        .filter({ has: page.locator(`.opblock-summary-path[data-path="${route}"]`) });
      await block.locator('.opblock-summary').first().click();
      const responses = block.locator('.responses-table').first();
      await responses.waitFor();
      const codes = await responses
        .locator('tr.response')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
      expect(codes.sort(), `${method.toUpperCase()} ${route} responses`).toEqual(
        Object.keys(operation.responses ?? {}).sort(),
      );
      if (operation.requestBody !== undefined) {
        await expect
          .poll(() => block.locator('.opblock-section-request-body').count(), {
            message: `${route} request body`,
          })
          .toBeGreaterThan(0);
      }
      await block.locator('.opblock-summary').first().click(); // collapse again
    }
  });

  it('shows every component schema', async () => {
    const names = Object.keys(schema.components?.schemas ?? {});
    expect(names.length).toBeGreaterThan(0);
    const section = page.locator('section.models');
    if (!(await section.evaluate((s) => s.classList.contains('is-open'))))
      await section.locator('h4 button').click();
    // OpenAPI 3.1 documents get Swagger UI's JSON Schema 2020-12 renderer (one top-level article per
    // schema); 3.0 documents the older `.model-container`s. Accept either.
    await section.locator('article[data-json-schema-level="0"], .model-container').first().waitFor();
    const shown = await section.evaluate((s) => [
      ...[...s.querySelectorAll('article[data-json-schema-level="0"]')].map(
        (a) => a.querySelector('.json-schema-2020-12__title')?.textContent?.trim() ?? '',
      ),
      ...[...s.querySelectorAll('.model-container')].map((c) => c.getAttribute('data-name') ?? ''),
    ]);
    expect(shown.sort()).toEqual(names.sort());
  });

  it('executes the OTP request from the page ("Try it out") and gets a 202', async () => {
    const block = page
      .locator('.opblock.opblock-post')
      .filter({ has: page.locator('.opblock-summary-path[data-path="/api/v1/auth/otp/request"]') });
    await block.locator('.opblock-summary').first().click();
    await block.locator('button.try-out__btn').click();
    const address = `swagger-${randomUUID().slice(0, 12)}@example.com`;
    await block.locator('textarea.body-param__text').fill(JSON.stringify({ email: address }));
    await block.locator('button.execute').click();
    const status = block.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor({ timeout: 15_000 });
    expect((await status.textContent())?.trim()).toBe('202');
    // The request really reached the service and the worker: the email went out.
    expect(await stack.waitForCode(address)).toMatch(/^\d+$/);
  });
});

if (reason !== undefined) {
  describe('Swagger UI in headless Chromium', () => {
    it.skip(`skipped: ${reason}`, () => {});
  });
}
