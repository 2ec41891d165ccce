// Headless Chromium for the browser tests: Debian's `chromium`, driven by playwright-core, with
// every request that would leave the machine refused and recorded (the pages must work offline).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests cannot run here, or `undefined`. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium)`;
}

/** Launches headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Aborts every request of `page` that leaves `origin` and records it in `offsite`, unless
 * `tolerated` matches it (blocked all the same).
 */
export async function keepOnOrigin(
  page: Page,
  origin: string,
  offsite: string[],
  tolerated?: RegExp,
): Promise<void> {
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
    if (tolerated === undefined || !tolerated.test(url)) offsite.push(url);
    return route.abort();
  });
}
