import type { OpenApiValidator } from './openapi-validator.js';

// Test responses are asserted field by field; the schema check above already guards their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJson = any;

/** A response as the tests use it. */
export interface ApiResponse<T = AnyJson> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

/** Request options. */
export interface RequestOptions {
  /** Serialised as JSON with `Content-Type: application/json`. */
  readonly json?: unknown;
  /** A raw body (with your own Content-Type header). */
  readonly body?: string | Uint8Array;
  readonly headers?: Record<string, string>;
  /** Bearer token for `Authorization`. */
  readonly token?: string;
}

/**
 * fetch, plus validation of every response against the OpenAPI document (so docs and code cannot
 * drift: a test fails on any undocumented status, header or body shape).
 */
export class ApiClient {
  readonly baseUrl: string;
  readonly #validator: OpenApiValidator;

  constructor(baseUrl: string, validator: OpenApiValidator) {
    this.baseUrl = baseUrl;
    this.#validator = validator;
  }

  async request<T = AnyJson>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Uint8Array | undefined = options.body;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    }
    if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const parsed: unknown =
      text !== '' && type.includes('json') ? JSON.parse(text) : text === '' ? undefined : text;
    this.#validator.validate({
      method,
      path: new URL(path, this.baseUrl).pathname,
      status: response.status,
      headers: response.headers,
      body: parsed,
    });
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = AnyJson>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }

  post<T = AnyJson>(path: string, json?: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, json === undefined ? options : { ...options, json });
  }
}
