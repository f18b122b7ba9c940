import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getContainerRuntimeClient } from 'testcontainers';
import { beforeAll, expect, it } from 'vitest';
import { REPO } from '../support/cli';
import { describeImage, IMAGE } from './support';

/** One entry of the image's file system, as `tar --numeric-owner -tv` lists it. */
interface Entry {
  readonly path: string;
  readonly mode: string;
  readonly uid: number;
  readonly gid: number;
}

/** The image's whole file system: a container is created (never started) and exported, and tar lists it. */
async function imageFiles(image: string): Promise<Entry[]> {
  const client = await getContainerRuntimeClient();
  const container = await client.container.dockerode.createContainer({ Image: image });
  try {
    const archive = await container.export();
    const tar = spawn('tar', ['--numeric-owner', '-tvf', '-'], { stdio: ['pipe', 'pipe', 'inherit'] });
    archive.pipe(tar.stdin);
    let listing = '';
    tar.stdout.on('data', (d: Buffer) => (listing += d.toString()));
    const code = await new Promise<number | null>((resolve) => tar.on('close', resolve));
    if (code !== 0) throw new Error(`tar exited ${code}`);
    return listing
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        // -rw-r--r-- 0/0 1234 2026-11-27 17:51 app/package.json  (symlinks add " -> target")
        const [mode, owner, , , , ...rest] = line.split(/\s+/);
        const [uid, gid] = owner!.split('/').map(Number);
        return {
          mode: mode!,
          uid: uid!,
          gid: gid!,
          path: rest
            .join(' ')
            .replace(/ -> .*$/, '')
            .replace(/\/$/, ''),
        };
      });
  } finally {
    await container.remove({ force: true });
  }
}

/** Whether uid/gid 10001 may write the entry (symlinks are not: their mode means nothing). */
const writableByService = (e: Entry): boolean =>
  !e.mode.startsWith('l') &&
  ((e.uid === 10001 && e.mode[2] === 'w') || (e.gid === 10001 && e.mode[5] === 'w') || e.mode[8] === 'w');

interface LockPackage {
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
}

describeImage('the image itself', () => {
  let files: Entry[];
  let paths: Set<string>;
  let info: Awaited<ReturnType<Awaited<ReturnType<typeof getContainerRuntimeClient>>['image']['inspect']>>;

  beforeAll(async () => {
    files = await imageFiles(IMAGE);
    paths = new Set(files.map((f) => f.path));
    const client = await getContainerRuntimeClient();
    info = await client.container.dockerode.getImage(IMAGE).inspect();
    process.stderr.write(
      `[container] image ${IMAGE}: ${(info.Size / 1e6).toFixed(1)} MB, ${info.RootFS.Layers?.length} layers, ` +
        `${files.length} files\n`,
    );
  });

  it('is small: at most 3 layers and 180 MB (README "With Docker")', () => {
    expect(info.RootFS.Layers?.length).toBeLessThanOrEqual(3);
    expect(info.Size).toBeLessThan(180e6);
  });

  it('has no file the service account (10001) can write, and every file belongs to root', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter(writableByService).map((f) => `${f.mode} ${f.uid}/${f.gid} ${f.path}`)).toEqual([]);
    expect(files.filter((f) => f.uid !== 0 || f.gid !== 0).map((f) => f.path)).toEqual([]);
  });

  it('holds every production dependency of package-lock.json and no dev dependency', () => {
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockPackage>;
    };
    const present = (p: string) => paths.has(`app/${p}`);
    const entries = Object.entries(lock.packages).filter(([p]) => p.startsWith('node_modules/'));
    const dev = entries.filter(([, v]) => v.dev).map(([p]) => p);
    const prod = entries.filter(([, v]) => !v.dev && !v.optional && !v.devOptional).map(([p]) => p);
    expect(dev.length).toBeGreaterThan(50);
    expect(prod.length).toBeGreaterThan(10);
    expect(dev.filter(present)).toEqual([]);
    expect(prod.filter((p) => !present(p))).toEqual([]);
    // nor the scope directories npm prune empties
    for (const scope of ['node_modules/@vitest', 'node_modules/@typescript-eslint', 'node_modules/@eslint'])
      expect(present(scope), scope).toBe(false);
  });

  it('has no shell, package manager, npm or compiler: node runs the service directly', () => {
    const tools = files
      .map((f) => f.path)
      .filter((p) =>
        /(^|\/)(sh|bash|dash|busybox|apt|apt-get|dpkg|npm|npx|corepack|yarn|tsc|cc|gcc|g\+\+|c\+\+|make|python3?)$/.test(
          p,
        ),
      );
    expect(tools).toEqual([]);
    expect(
      [...paths].filter((p) => p.includes('node_modules/npm') || p.includes('node_modules/typescript')),
    ).toEqual([]);
    expect(info.Config.Entrypoint).toEqual(['node', 'dist/cli.js']);
    expect(info.Config.Cmd).toEqual(['serve']);
    expect(info.Config.User).toBe('10001:10001');
    expect(info.Config.Healthcheck?.Test?.slice(0, 2)).toEqual(['CMD', 'node']);
  });

  it('carries the OCI labels: version from package.json, the revision it was built from, its source', () => {
    const labels = info.Config.Labels ?? {};
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const head = execFileSync('git', ['-C', REPO, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    expect(labels['org.opencontainers.image.version']).toBe(pkg.version);
    // ./global-setup.ts builds with REVISION=$(git rev-parse HEAD)
    expect(labels['org.opencontainers.image.revision']).toBe(head);
    expect(labels['org.opencontainers.image.source']).toMatch(
      /^(https?|file|ssh|git):\/\/|^[\w.-]+@[\w.-]+:/,
    );
    expect(labels['org.opencontainers.image.title']).toBe('tuxwatch');
  });
});
