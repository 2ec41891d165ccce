// The document itself: complete for every operation, and Swagger UI served with local assets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedHarness, type EmbeddedHarness } from './helpers/harness.js';

type Operation = {
  summary?: string;
  description?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { examples?: object; schema: unknown }> };
  responses: Record<
    string,
    {
      description: string;
      content?: Record<string, { schema: unknown }>;
      headers?: Record<string, { required?: boolean; schema?: { example?: string } }>;
    }
  >;
};

describe('OpenAPI document and Swagger UI', () => {
  let h: EmbeddedHarness;
  let doc: {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: object; schemas: Record<string, { example?: unknown }> };
  };
  beforeAll(async () => {
    h = await startEmbeddedHarness();
    doc = (await h.client.get('/api/schema')).body;
  });
  afterAll(async () => {
    await h.close();
  });

  it('is OpenAPI 3.1 with bearer auth', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes).toMatchObject({ bearerAuth: { type: 'http', scheme: 'bearer' } });
  });

  it('every operation has a summary, a description, a 500, and schemas for every content', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([m, op]) => ({ path, m, op })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(11);
    for (const { path, m, op } of operations) {
      expect(op.summary, `${m} ${path}`).toBeTruthy();
      expect(op.description, `${m} ${path}`).toBeTruthy();
      expect(op.responses['500'], `${m} ${path}`).toBeDefined();
      for (const response of Object.values(op.responses)) {
        expect(response.description).toBeTruthy();
        for (const media of Object.values(response.content ?? {})) expect(media.schema).toBeDefined();
      }
      if (op.requestBody !== undefined) {
        expect(op.requestBody.content['application/json']?.examples, `${m} ${path}`).toBeDefined();
        for (const status of ['400', '413', '415'])
          expect(op.responses[status], `${m} ${path} ${status}`).toBeDefined();
      }
    }
  });

  it('documents the domain statuses and bearer auth where required', () => {
    const p = doc.paths;
    expect(Object.keys(p['/api/v1/auth/otp/request']!['post']!.responses)).toEqual(
      expect.arrayContaining(['202', '429', '503']),
    );
    const requestOtp = p['/api/v1/auth/otp/request']!['post']!.responses;
    expect(requestOtp['202']!.headers).toMatchObject({
      'RateLimit-Policy': { required: true },
      RateLimit: { required: true },
    });
    expect(requestOtp['429']!.headers).toMatchObject({
      'Retry-After': { required: true },
      'RateLimit-Policy': { required: true },
      RateLimit: { required: true },
    });
    expect(Object.keys(p['/api/v1/auth/otp/verify']!['post']!.responses)).toEqual(
      expect.arrayContaining(['200', '400', '423', '429', '503']),
    );
    // The per-IP verify policy, with examples of the configured rule (the harness allows 1000 per 15 min).
    expect(p['/api/v1/auth/otp/verify']!['post']!.responses['429']!.headers).toMatchObject({
      'Retry-After': { required: true },
      'RateLimit-Policy': { required: true, schema: { example: '"otp-verify-ip";q=1000;w=900' } },
      RateLimit: { required: true, schema: { example: '"otp-verify-ip";r=0;t=900' } },
    });
    const logs = p['/api/v1/audit/logs']!['get']!;
    expect(logs.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(logs.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '503']));
    expect(p['/api/v1/auth/me']!['get']!.security).toEqual([{ bearerAuth: [] }]);
    for (const id of [
      'Problem',
      'ValidationProblem',
      'RateLimitedProblem',
      'InvalidOtpProblem',
      'OtpLockedProblem',
      'LoginResponse',
    ]) {
      expect(doc.components.schemas[id]?.example, id).toBeDefined();
    }
  });

  it('serves Swagger UI whose assets all come from this service', async () => {
    const page = await h.client.get('/api/docs');
    expect(page.headers.get('content-type')).toContain('text/html');
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    const local = assets.filter((url) => url.startsWith('/api/docs/assets/'));
    expect(local.length).toBeGreaterThanOrEqual(4);
    expect(assets.filter((url) => /^https?:/.test(url) && !url.includes('fonts.googleapis.com'))).toEqual([]);
    for (const url of local) {
      const response = await fetch(new URL(url, h.client.baseUrl));
      expect(response.status, url).toBe(200);
      expect(response.headers.get('cache-control')).toContain('immutable');
    }
    expect(page.text).toContain('"url":"/api/schema"');
    const missing = await h.client.get('/api/docs/assets/0.0.0/swagger-ui-bundle.js');
    expect(missing.status).toBe(404);
    const traversal = await h.client.get('/api/docs/assets/x/..%2F..%2Fpackage.json');
    expect(traversal.status).toBe(404);
  });
});
