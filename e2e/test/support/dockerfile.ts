/**
 * A small Dockerfile reader for the deployment tests: enough of the syntax to check what the
 * images run (instructions, stages, exec-form arguments), not a full BuildKit parser.
 */

/** One instruction, continuation lines joined, comments dropped. */
export interface Instruction {
  /** Upper-cased keyword: `FROM`, `RUN`, `CMD`… */
  readonly keyword: string;
  /** Everything after the keyword. */
  readonly args: string;
  /** 1-based line where it starts. */
  readonly line: number;
}

/** One build stage: a `FROM` and what follows up to the next `FROM`. */
export interface Stage {
  readonly name: string | undefined;
  /** The image or stage it starts from. */
  readonly base: string;
  readonly instructions: readonly Instruction[];
}

/** Splits a Dockerfile into instructions. */
export function parseInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let buffer = '';
  let start = 0;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (buffer === '' && (line === '' || line.startsWith('#'))) return;
    if (buffer !== '' && line.startsWith('#')) return; // comment lines inside a continuation
    if (buffer === '') start = index + 1;
    if (line.endsWith('\\')) {
      buffer += `${line.slice(0, -1)} `;
      return;
    }
    buffer += line;
    const match = /^(\S+)\s*([\s\S]*)$/.exec(buffer);
    if (match) out.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line: start });
    buffer = '';
  });
  return out;
}

/** Groups instructions into stages. */
export function parseStages(text: string): Stage[] {
  const stages: { name: string | undefined; base: string; instructions: Instruction[] }[] = [];
  for (const instruction of parseInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const asIndex = words.findIndex((w) => w.toUpperCase() === 'AS');
      stages.push({
        base: words[0] ?? '',
        name: asIndex >= 0 ? words[asIndex + 1] : undefined,
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The JSON array of an exec-form `CMD`/`ENTRYPOINT`/`HEALTHCHECK CMD`, or `undefined` for shell form. */
export function execForm(args: string): string[] | undefined {
  const trimmed = args.trim();
  if (!trimmed.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The instructions in effect in a stage, following `FROM <earlier stage>` chains: the last
 * `WORKDIR`, `USER`, `CMD`, `HEALTHCHECK` and every `RUN`/`COPY` from the base stages included.
 */
export function effectiveInstructions(stages: readonly Stage[], name: string): Instruction[] {
  const stage = stages.find((s) => s.name === name);
  if (stage === undefined) throw new Error(`no stage named ${name}`);
  const parent = stages.find((s) => s.name === stage.base);
  return [...(parent ? effectiveInstructions(stages, stage.base) : []), ...stage.instructions];
}

/** The last instruction of a keyword in a stage's effective instructions. */
export function last(stages: readonly Stage[], name: string, keyword: string): Instruction | undefined {
  return effectiveInstructions(stages, name)
    .filter((i) => i.keyword === keyword)
    .at(-1);
}
