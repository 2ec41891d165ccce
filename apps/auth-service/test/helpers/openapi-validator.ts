import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import type { OpenApiDocument } from '../../src/index.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module.
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (
  ajv: Ajv2020,
) => void;

type Json = Record<string, unknown>;

/** A response as the test client saw it. */
export interface ObservedResponse {
  readonly method: string;
  /** Path without query string. */
  readonly path: string;
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, text, or undefined for an empty body. */
  readonly body: unknown;
}

function templateMatches(template: string, path: string): boolean {
  const pattern = template.replace(/\{[^/]+\}/g, '[^/]+').replace(/[.]/g, '\\.');
  return new RegExp(`^${pattern}/?$`).test(path);
}

/**
 * Validates responses against the OpenAPI document: the status is documented for the operation,
 * the media type is declared, the body matches its schema (JSON Schema 2020-12, formats checked),
 * and required headers are present and valid. Responses for unknown paths or methods must be
 * generic problems.
 */
export class OpenApiValidator {
  readonly #document: Json;
  readonly #ajv: Ajv2020;
  readonly #cache = new Map<string, ValidateFunction>();
  /** How many responses were validated (the suites assert it is > 0). */
  validated = 0;

  constructor(document: OpenApiDocument) {
    this.#document = JSON.parse(JSON.stringify(document)) as Json;
    this.#ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.#ajv);
  }

  #compile(key: string, schema: unknown): ValidateFunction {
    let validate = this.#cache.get(key);
    if (validate === undefined) {
      // Refs are `#/components/schemas/…`: carry the components along under the root.
      validate = this.#ajv.compile({ ...(schema as Json), components: this.#document['components'] });
      this.#cache.set(key, validate);
    }
    return validate;
  }

  #check(key: string, schema: unknown, value: unknown, what: string): void {
    const validate = this.#compile(key, schema);
    if (!validate(value)) {
      throw new Error(
        `${what} does not match the OpenAPI document: ${this.#ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`,
      );
    }
  }

  /**
   * @param response - The observed response.
   * @throws Error describing the first mismatch.
   */
  validate(response: ObservedResponse): void {
    this.validated += 1;
    const paths = this.#document['paths'] as Record<string, Record<string, Json>>;
    const template = Object.keys(paths).find((t) => templateMatches(t, response.path));
    const method = response.method.toLowerCase();
    const operation =
      template === undefined ? undefined : paths[template]?.[method === 'head' ? 'get' : method];
    const what = `${response.method} ${response.path} → ${response.status}`;
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';

    if (operation === undefined) {
      // Unknown route or method: a generic problem (404/405/501).
      if (![404, 405, 501].includes(response.status)) throw new Error(`${what}: undocumented operation`);
      if (contentType !== 'application/problem+json')
        throw new Error(`${what}: expected problem+json, got ${contentType}`);
      this.#check('#problem', { $ref: '#/components/schemas/Problem' }, response.body, what);
      return;
    }
    const responses = operation['responses'] as Record<string, Json>;
    const documented = responses[String(response.status)];
    if (documented === undefined)
      throw new Error(`${what}: status not documented (has ${Object.keys(responses).join(', ')})`);

    const headers = (documented['headers'] ?? {}) as Record<string, Json>;
    for (const [name, header] of Object.entries(headers)) {
      const value = response.headers.get(name);
      if (value === null) {
        if (header['required'] === true) throw new Error(`${what}: missing header ${name}`);
        continue;
      }
      this.#check(
        `${template} ${method} ${response.status} header ${name}`,
        header['schema'],
        value,
        `${what} header ${name}`,
      );
    }

    const content = documented['content'] as Record<string, Json> | undefined;
    if (content === undefined) {
      if (response.body !== undefined && response.body !== '')
        throw new Error(`${what}: documented without a body`);
      return;
    }
    if (method === 'head') return;
    const media = content[contentType];
    if (media === undefined)
      throw new Error(
        `${what}: media type ${contentType} not documented (${Object.keys(content).join(', ')})`,
      );
    this.#check(
      `${template} ${method} ${response.status} ${contentType}`,
      media['schema'],
      response.body,
      what,
    );
  }
}
