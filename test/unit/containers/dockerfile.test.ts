import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dockerignoreExcludes,
  finalHealthcheck,
  healthcheckCommand,
  parseDockerfile,
  type Instruction,
  type Stage,
} from './dockerfile-parser';

const ROOT = join(__dirname, '..', '..', '..');
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const DOCKERIGNORE = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
const dockerfile = parseDockerfile(DOCKERFILE);
const final = dockerfile.stages.at(-1)!;

const all = (stage: Stage, keyword: string): Instruction[] =>
  stage.instructions.filter((i) => i.keyword === keyword);
const last = (stage: Stage, keyword: string): Instruction | undefined => all(stage, keyword).at(-1);

const dockerHealthcheck = (): string[] => finalHealthcheck(dockerfile);

describe('Dockerfile parser', () => {
  it('reads directives, global ARGs, continuations, comments, flags, exec and shell forms', () => {
    const df = parseDockerfile(
      [
        '# syntax=docker/dockerfile:1',
        '# a comment',
        'ARG BASE=node:20-alpine',
        'from ${BASE} as Build',
        'RUN echo a \\',
        '  # a comment inside a continuation',
        '  && echo b',
        'FROM ${BASE}',
        'COPY --from=build --chown=1:1 /app/dist ./dist',
        'HEALTHCHECK --interval=5s CMD ["node", "-e", "x"]',
        'ENTRYPOINT node dist/cli.js',
      ].join('\n'),
    );
    expect(df.directives).toEqual({ syntax: 'docker/dockerfile:1' });
    expect(df.globalArgs).toEqual({ BASE: 'node:20-alpine' });
    expect(df.stages.map((s) => [s.from, s.name])).toEqual([
      ['node:20-alpine', 'build'],
      ['node:20-alpine', undefined],
    ]);
    expect(df.stages[0]!.instructions[0]).toMatchObject({
      keyword: 'RUN',
      args: 'echo a && echo b',
      line: 5,
    });
    const [copy, hc, entry] = df.stages[1]!.instructions;
    expect(copy).toMatchObject({ flags: { from: 'build', chown: '1:1' }, args: '/app/dist ./dist' });
    expect(healthcheckCommand(hc!)).toEqual({ exec: ['node', '-e', 'x'] });
    expect(hc!.flags).toEqual({ interval: '5s' });
    expect(entry).toMatchObject({ exec: undefined, args: 'node dist/cli.js' });
  });

  it('matches .dockerignore patterns the way Docker does (directories, globs, **, !exceptions)', () => {
    const ignore = 'node_modules\n*.md\n**/*.log\ntest\n!test/keep\n';
    expect(dockerignoreExcludes(ignore, 'node_modules/x/index.js')).toBe(true);
    expect(dockerignoreExcludes(ignore, 'README.md')).toBe(true);
    expect(dockerignoreExcludes(ignore, 'docs/README.md')).toBe(false);
    expect(dockerignoreExcludes(ignore, 'a/b/c.log')).toBe(true);
    expect(dockerignoreExcludes(ignore, 'test/unit/a.ts')).toBe(true);
    expect(dockerignoreExcludes(ignore, 'test/keep')).toBe(false);
    expect(dockerignoreExcludes(ignore, 'src/cli.ts')).toBe(false);
  });
});

describe('Dockerfile', () => {
  it('is multi-stage: build stages on Node 20, a final stage from scratch or Node 20', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    for (const s of dockerfile.stages.slice(0, -1)) expect(s.from).toMatch(/^node:20([.-]|$)/);
    expect(final.from).toMatch(/^(scratch|node:20([.-]|$))/);
    const names = dockerfile.stages.map((s) => s.name).filter(Boolean);
    expect(new Set(names).size).toBe(names.length);
  });

  it('builds in an earlier stage: npm ci, npm run build, npm prune --omit=dev', () => {
    const runs = dockerfile.stages
      .slice(0, -1)
      .flatMap((s) => all(s, 'RUN'))
      .map((r) => r.args)
      .join('\n');
    expect(runs).toMatch(/\bnpm ci\b/);
    expect(runs).toMatch(/\bnpm run build\b/);
    expect(runs).toMatch(/\bnpm prune\b[^\n]*--omit=dev/);
  });

  it('never installs or builds in the runtime stage (no `prepare` re-run, no dev dependencies)', () => {
    for (const run of all(final, 'RUN')) {
      expect(run.args).not.toMatch(/\bnpm (install|i|ci|run)\b(?![^\n]*--ignore-scripts)/);
      expect(run.args).not.toMatch(/\b(tsc|npm run build)\b/);
    }
  });

  it('the runtime stage copies only from earlier stages: production node_modules and the laid-out application', () => {
    const copies = all(final, 'COPY');
    const sourceStage = (c: Instruction) =>
      dockerfile.stages.find((s) => s.name === c.flags['from'] || `${s.index}` === c.flags['from']);
    for (const c of copies) {
      expect(c.flags['from'], `COPY on line ${c.line} comes from a stage`).toBeDefined();
      expect(sourceStage(c)!.index).toBeLessThan(final.index);
    }
    const build = dockerfile.stages.find((s) => all(s, 'RUN').some((r) => /\bnpm run build\b/.test(r.args)))!;
    const fromBuild = copies.filter((c) => sourceStage(c) === build).map((c) => c.args.split(/\s+/)[0]!);
    expect(fromBuild).toContain('/app/node_modules');
    // the build stage lays the application out: package.json, the compiled dist and the bundled rules
    const layout = all(build, 'RUN').find((r) => /\bcp -a package\.json dist detections (\S+)/.test(r.args));
    expect(layout, 'RUN … cp -a package.json dist detections <dir>').toBeDefined();
    const out = /\bcp -a package\.json dist detections (\S+)/.exec(layout!.args)![1]!.replace(/\/$/, '');
    expect(fromBuild.map((p) => p.replace(/\/$/, ''))).toContain(out);
    expect(all(build, 'COPY').some((c) => /^detections\/?\s/.test(c.args))).toBe(true);
  });

  it('labels the image the OCI way: version from package.json, revision and source as build arguments', () => {
    const labels = all(final, 'LABEL')
      .map((l) => l.args)
      .join(' ');
    const label = (key: string) =>
      new RegExp(`org\\.opencontainers\\.image\\.${key}="([^"]*)"`).exec(labels)?.[1];
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(label('version')).toBe(pkg.version);
    expect(label('revision')).toBe('${REVISION}');
    expect(label('source')).toBe('${SOURCE}');
    for (const key of ['title', 'description', 'licenses']) expect(label(key), key).toBeTruthy();
    const args = all(final, 'ARG').map((a) => a.args.split('=')[0]);
    expect(args).toEqual(expect.arrayContaining(['REVISION', 'SOURCE']));
  });

  it('has the health server listen on every interface (TUXWATCH_HTTP_HOST=0.0.0.0)', () => {
    const env = all(final, 'ENV').map((e) => e.args);
    expect(env.some((e) => /(^|\s)TUXWATCH_HTTP_HOST=0\.0\.0\.0(\s|$)/.test(e))).toBe(true);
  });

  it('every COPY from the build context names a file that exists and is not in .dockerignore', () => {
    const contextCopies = dockerfile.stages
      .flatMap((s) => [...all(s, 'COPY'), ...all(s, 'ADD')])
      .filter((c) => c.flags['from'] === undefined);
    expect(contextCopies.length).toBeGreaterThan(0);
    for (const c of contextCopies) {
      const parts = c.exec ?? c.args.split(/\s+/);
      for (const src of parts.slice(0, -1)) {
        expect(existsSync(join(ROOT, src)), `${src} (line ${c.line}) exists`).toBe(true);
        expect(dockerignoreExcludes(DOCKERIGNORE, src), `${src} (line ${c.line}) is ignored`).toBe(false);
      }
    }
  });

  it('runs as a non-root user', () => {
    const user = last(final, 'USER');
    expect(user, 'USER in the final stage').toBeDefined();
    const name = user!.args.split(':')[0]!.trim();
    expect(['', 'root', '0']).not.toContain(name);
    // the last USER must come after anything that needs root (RUN useradd, ...)
    const lastRun = all(final, 'RUN').at(-1);
    if (lastRun) expect(user!.line).toBeGreaterThan(lastRun.line);
  });

  it('sets NODE_ENV=production and exposes 8080', () => {
    const env = all(final, 'ENV').map((e) => e.args);
    expect(env.some((e) => /(^|\s)NODE_ENV(=|\s+)"?production"?(\s|$)/.test(e))).toBe(true);
    expect(all(final, 'EXPOSE').flatMap((e) => e.args.split(/\s+/))).toContain('8080');
  });

  it('has ENTRYPOINT node dist/cli.js and CMD serve (exec form)', () => {
    expect(last(final, 'ENTRYPOINT')?.exec).toEqual(['node', 'dist/cli.js']);
    expect(last(final, 'CMD')?.exec).toEqual(['serve']);
  });

  it('has a HEALTHCHECK that asks /health/live on 127.0.0.1 with node (no curl in slim images)', () => {
    const hc = last(final, 'HEALTHCHECK');
    expect(hc).toBeDefined();
    const cmd = dockerHealthcheck();
    expect(cmd[0]).toBe('node');
    const script = cmd.join(' ');
    expect(script).toContain('127.0.0.1');
    expect(script).toContain('/health/live');
    expect(script).toMatch(/8080/);
    expect(script).not.toMatch(/\b(curl|wget)\b/);
    for (const flag of ['interval', 'timeout', 'retries']) expect(hc!.flags[flag], flag).toBeDefined();
  });

  it('.dockerignore keeps node_modules, dist, .git and coverage out of the context', () => {
    for (const p of ['node_modules/x.js', 'dist/cli.js', '.git/HEAD', 'coverage/index.html']) {
      expect(dockerignoreExcludes(DOCKERIGNORE, p), p).toBe(true);
    }
    for (const p of ['package.json', 'package-lock.json', 'tsconfig.json', 'src/cli.ts', 'detections']) {
      expect(dockerignoreExcludes(DOCKERIGNORE, p), p).toBe(false);
    }
  });
});

describe('the HEALTHCHECK command, run against a local server', () => {
  let status = 200;
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === '/health/live' ? status : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // asynchronous: the server answers from this same process
  const run = (env: NodeJS.ProcessEnv): Promise<number | null> => {
    const [bin, ...args] = dockerHealthcheck();
    expect(bin).toBe('node');
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        env: { PATH: process.env.PATH, ...env },
        stdio: 'ignore',
        timeout: 10_000,
      });
      child.on('error', reject).on('exit', (code) => resolve(code));
    });
  };

  it('exits 0 when /health/live answers 200', async () => {
    status = 200;
    expect(await run({ TUXWATCH_HTTP_PORT: String(port) })).toBe(0);
  });

  it('exits 1 when /health/live answers an error', async () => {
    status = 503;
    expect(await run({ TUXWATCH_HTTP_PORT: String(port) })).toBe(1);
  });

  it('exits 1 when nothing listens', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closed = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    expect(await run({ TUXWATCH_HTTP_PORT: String(closed) })).toBe(1);
  });
});
