// ESLint rule `tses/no-import-cycles`: no module of a project's `src/` may reach itself again
// through relative imports (type-only ones included: a cycle of types is still two files that
// cannot be read one without the other). Cycles between projects are `@nx/enforce-module-boundaries`'s.
// Each project's `src/` is read once per ESLint process: its relative imports (TypeScript's own
// scanner, so comments and strings never count), then its strongly connected components.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SRC_ROOT = /^(.*[/\\](?:libs|apps)[/\\][^/\\]+[/\\]src)[/\\]/;
const graphs = new Map();

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts)$/.test(entry.name) && !/\.(test|d)\.m?ts$/.test(entry.name) ? [full] : [];
  });
}

/** The `.ts` file a relative specifier (`./x.js`, `../y.ts`) names, if it is one of `files`. */
function resolve(from, specifier, files) {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [
    base.replace(/\.(m?)js$/, '.$1ts'),
    base,
    `${base}.ts`,
    path.join(base, 'index.ts'),
  ]) {
    if (files.has(candidate)) return candidate;
  }
  return undefined;
}

/** Module → the modules it imports, for one `src/` folder. */
function importGraph(root) {
  const files = new Set(sourceFiles(root));
  const edges = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => resolve(file, specifier, files))
      .filter((target) => target !== undefined);
    edges.set(file, new Set(targets));
  }
  return edges;
}

/** For each module on a cycle, one cycle through it (Tarjan's strongly connected components). */
function cyclesOf(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = new Map();
  let counter = 0;
  const visit = (file) => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file), low.get(next)));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file), index.get(next)));
    }
    if (low.get(file) !== index.get(file)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || edges.get(file)?.has(file)) {
      const members = new Set(component);
      for (const start of component) cycles.set(start, pathBack(start, members, edges));
    }
  };
  for (const file of edges.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

/** The shortest import path from `start` back to itself inside one component. */
function pathBack(start, members, edges) {
  const previous = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const next of edges.get(file) ?? []) {
      if (!members.has(next) || previous.has(next)) continue;
      previous.set(next, file);
      if (next === start) {
        const chain = [];
        for (let at = file; at !== start; at = previous.get(at)) chain.unshift(at);
        return [start, ...chain, start];
      }
      queue.push(next);
    }
  }
  return [start, start];
}

export const noImportCycles = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow import cycles between the modules of one project' },
    schema: [],
    messages: { cycle: 'Import cycle: {{path}}. Move what both need into a module of its own.' },
  },
  create(context) {
    const root = SRC_ROOT.exec(context.filename)?.[1];
    if (root === undefined || !existsSync(root)) return {};
    if (!graphs.has(root)) graphs.set(root, cyclesOf(importGraph(root)));
    const cycle = graphs.get(root).get(context.filename);
    if (cycle === undefined) return {};
    return {
      Program(node) {
        const shown = cycle.map((file) => path.relative(root, file)).join(' → ');
        context.report({ node, messageId: 'cycle', data: { path: shown } });
      },
    };
  },
};
