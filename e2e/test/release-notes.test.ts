/**
 * Each library's CHANGELOG files the notes of the version its package.json carries under a heading
 * that names that version (Keep a Changelog: `## [x.y.z] - YYYY-MM-DD`), first: a packed tarball
 * ships its CHANGELOG, and notes headed "Unreleased" in a released package say the opposite of the
 * truth. An `## [Unreleased]` section may stand above it only while it is empty.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/workspace.js';

const LIBRARIES = ['libs/core', 'libs/redis-ratelimit', 'libs/otp', 'libs/audit'];

describe.each(LIBRARIES)('%s/CHANGELOG.md', (dir) => {
  const changelog = readFileSync(path.join(ROOT, dir, 'CHANGELOG.md'), 'utf8');
  const { version } = JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const sections = changelog.split(/^## /m).slice(1);

  it('heads the first non-empty section with the package version and a date', () => {
    const [first, ...rest] = sections;
    const unreleased = first !== undefined && /^\[?Unreleased\]?/i.test(first);
    if (unreleased)
      expect(first!.split('\n').slice(1).join('\n').trim(), 'Unreleased must be empty').toBe('');
    const current = unreleased ? rest[0] : first;
    expect(current?.split('\n')[0]).toMatch(
      new RegExp(`^\\[${version.replaceAll('.', '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`),
    );
  });

  it('has one section per version', () => {
    const versions = sections.map((s) => s.split('\n')[0]!.replace(/ - .*$/, ''));
    expect(new Set(versions).size).toBe(versions.length);
  });
});
