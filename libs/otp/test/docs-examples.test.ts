// The examples in the TSDoc and the README are what users copy: they must compile against the
// real API. `RateLimiter` requires `failureMode` (what a Redis outage means), so an example that
// builds one without it fails as written.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return /\.ts$/.test(entry.name) ? [full] : [];
  });
}

/** Every `new RateLimiter({ … })` in a text, up to its closing parenthesis (nesting-aware). */
function limiterConstructions(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/new RateLimiter\(/g)) {
    let depth = 0;
    let end = match.index;
    for (let i = match.index + 'new RateLimiter'.length; i < text.length; i++) {
      if (text[i] === '(') depth++;
      if (text[i] === ')' && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    found.push(text.slice(match.index, end));
  }
  return found;
}

it('every RateLimiter built in the TSDoc and README examples names its failureMode', () => {
  const sources = [...files(path.join(root, 'src')), path.join(root, 'README.md')];
  const constructions = sources.flatMap((file) =>
    limiterConstructions(readFileSync(file, 'utf8')).map((code) => ({
      file: path.relative(root, file),
      code,
    })),
  );
  expect(constructions.length).toBeGreaterThan(3);
  expect(constructions.filter((c) => !c.code.includes('failureMode'))).toEqual([]);
});
