import { readFileSync } from 'node:fs';

/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  keyword: string;
  args: string;
}

/** A build stage: its FROM line, optional `AS name`, and its instructions. */
export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** One COPY: `from` is the stage it copies from (`--from=`), undefined for the build context. */
export interface CopyStep {
  from?: string;
  sources: string[];
  dest: string;
}

/** Reads a Dockerfile into stages (comments dropped, `\` continuations joined). */
export function parseDockerfile(file: string): Stage[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const joined: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    current = current ? `${current} ${line}` : line;
    if (current.endsWith('\\')) current = current.slice(0, -1).trim();
    else {
      joined.push(current);
      current = '';
    }
  }
  const stages: Stage[] = [];
  for (const line of joined) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ from: m?.[1] ?? args, ...(m?.[2] ? { name: m[2] } : {}), instructions: [] });
    } else stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

/** The words of a shell or JSON (exec) form argument. */
export function words(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/).filter(Boolean);
}

export function copySteps(stage: Stage): CopyStep[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => {
      const parts = words(i.args);
      const flags = parts.filter((p) => p.startsWith('--'));
      const paths = parts.filter((p) => !p.startsWith('--'));
      const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
      return { ...(from !== undefined ? { from } : {}), sources: paths.slice(0, -1), dest: paths.at(-1)! };
    });
}

/** The last value an instruction takes in a stage (WORKDIR, USER, ENTRYPOINT, CMD). */
export function last(stage: Stage, keyword: string): string | undefined {
  return stage.instructions.filter((i) => i.keyword === keyword).at(-1)?.args;
}

/** `ENV A=1 B=2` and `ENV A 1` lines of a stage. */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of stage.instructions.filter((x) => x.keyword === 'ENV')) {
    if (i.args.includes('=')) for (const pair of i.args.split(/\s+/)) env[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
    else {
      const [k = '', ...v] = i.args.split(/\s+/);
      env[k] = v.join(' ');
    }
  }
  return env;
}

/** Folders a stage's RUN lines create (`mkdir -p …`) and hand to a user (`chown U:G …`). */
export function runPaths(stage: Stage): { created: string[]; chowned: string[] } {
  const created: string[] = [];
  const chowned: string[] = [];
  for (const i of stage.instructions.filter((x) => x.keyword === 'RUN')) {
    for (const command of i.args.split(/&&|;/).map((c) => c.trim().split(/\s+/))) {
      const operands = command.slice(1).filter((w) => !w.startsWith('-'));
      if (command[0] === 'mkdir') created.push(...operands);
      if (command[0] === 'chown') chowned.push(...operands.slice(1));
    }
  }
  return { created, chowned };
}

/** Go filepath.Match-like patterns of a .dockerignore (no `!` exceptions), as a predicate. */
export function dockerIgnore(text: string): (path: string) => boolean {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((p) => new RegExp(`^${p.replace(/^\/+/, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*').replace(/\?/g, '[^/]')}(/.*)?$`));
  return (path) => patterns.some((re) => re.test(path.replace(/^\.\//, '')));
}
