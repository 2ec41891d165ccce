// Restores lockfile entries for platform-specific optional packages that this machine's npm
// registry mirror does not carry (msgpackr-extract's darwin/win32/linux-arm builds, pulled in by
// BullMQ's msgpackr). `npm install` here silently leaves them out of package-lock.json, and then
// `npm ci` refuses the lockfile ("Missing: @msgpackr-extract/…@ from lock file"). npm never fetches
// an optional package whose os/cpu don't match the machine, so these entries only describe what
// the public registry publishes. Run after `npm install`: `node scripts/lockfile-platform-entries.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path.slice(0, path.lastIndexOf('node_modules/') + 'node_modules/'.length) || 'node_modules/';
    const target = `${base}${name}`;
    const nested = `${path}/node_modules/${name}`;
    if (packages[target] || packages[nested]) continue;
    const match = /-(darwin|linux|win32|freebsd)-(x64|arm64|arm|ia32)$/.exec(name);
    if (!match) continue; // only platform builds are ever missing this way
    packages[target] = {
      version,
      cpu: [match[2]],
      license: entry.license ?? 'MIT',
      optional: true,
      os: [match[1]],
      ...(entry.dev ? { dev: true } : {}),
    };
    added++;
  }
}

const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lockfile: ${added} platform entr${added === 1 ? 'y' : 'ies'} restored`);
