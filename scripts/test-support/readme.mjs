// Reads a README the way a user does: the packages its install lines add, and its TypeScript
// examples with the section each one stands in.

/** Every ```ts block, in order, with the nearest heading above it. */
export function readmeExamples(markdown) {
  const examples = [];
  let heading = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const title = /^#{1,6} (.+)$/.exec(line);
    if (title) heading = title[1] ?? '';
    if (/^```(\w+)/.exec(line)?.[1] !== 'ts') {
      if (line.startsWith('```')) while (i + 1 < lines.length && lines[++i] !== '```');
      continue;
    }
    const code = [];
    while (i + 1 < lines.length && lines[++i] !== '```') code.push(lines[i] ?? '');
    examples.push({ heading, code: `${code.join('\n')}\n` });
  }
  return examples;
}

/** The package names given to `npm install` in the ```sh blocks (comments and flags left out). */
export function readmeInstallPackages(markdown) {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  return blocks.flatMap((block) =>
    block
      .split('\n')
      .map((line) => line.replace(/#.*$/, '').trim())
      .filter((line) => line.startsWith('npm install '))
      .flatMap((line) =>
        line
          .slice('npm install '.length)
          .split(/\s+/)
          .filter((word) => word !== '' && !word.startsWith('-')),
      ),
  );
}
