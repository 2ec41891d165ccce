/**
 * `.dockerignore` matching as the Docker builder does it, for the tests: patterns are relative to the
 * context root, `*` and `?` stay within one path segment, `**` spans any number of segments, a
 * pattern that matches a directory excludes everything under it, `!` re-includes, and the last
 * matching line wins.
 */

interface Rule {
  readonly negated: boolean;
  readonly regex: RegExp;
}

function toRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more directories; a trailing `**` anything.
      if (pattern[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Parses `.dockerignore` text into rules. */
export function parseDockerignore(text: string): Rule[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = (negated ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { negated, regex: toRegex(pattern) };
    });
}

/** Whether the build context leaves `relativePath` out. */
export function isIgnored(rules: readonly Rule[], relativePath: string): boolean {
  const segments = relativePath.split('/');
  // The path itself and each parent directory: excluding a directory excludes its contents.
  const candidates = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.regex.test(candidate))) ignored = !rule.negated;
  }
  return ignored;
}
