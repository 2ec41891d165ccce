import { createRequire } from 'node:module';
import type { OtelApiLike } from './otel-like.js';

// `null`: looked up, not installed. Loaded synchronously (the package ships CommonJS) so a
// constructor knows at once whether it reports; the API keeps its registry on `globalThis`, so
// this copy sees the SDK an app registered through `import`.
let api: OtelApiLike | null | undefined;

/** `@opentelemetry/api` when the app has it installed, else `undefined`; looked up once. */
export function otelApi(): OtelApiLike | undefined {
  if (api === undefined) {
    try {
      api = createRequire(import.meta.url)('@opentelemetry/api') as OtelApiLike;
    } catch {
      api = null;
    }
  }
  return api ?? undefined;
}
