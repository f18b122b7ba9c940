import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getContainerRuntimeClient } from 'testcontainers';
import { afterAll, expect, it } from 'vitest';
import { REPO } from '../support/cli';
import { createEsClient, deleteIndices } from '../support/elasticsearch';
import { deleteTopics } from '../support/kafka';
import { scenario, serviceEnv } from '../support/scenario';
import { uniqueName } from '../support/names';
import { waitFor } from '../support/wait';
import { freePort } from '../support/free-port';
import { describeImage, httpGet, IMAGE } from './support';

const run = promisify(execFile);
const FILES = [
  '-f',
  join(REPO, 'docker-compose.yml'),
  '-f',
  join(REPO, 'test/container/compose.loopback.yml'),
];
const REQUIRED = process.env.TUXWATCH_TEST_DOCKER === 'require';

interface Compose {
  readonly name: string;
  readonly bin: string;
  /** why it cannot be used here, or undefined */
  readonly missing?: string;
}

/** Debian's docker-compose 1.29 (Python) on PATH, and a Compose v2 built by .ci/compose-v2.sh. */
function implementations(): Compose[] {
  const v2 =
    process.env.TUXWATCH_TEST_COMPOSE_V2 ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tuxwatch/compose-v2.40.3/docker-compose');
  return [
    { name: 'docker-compose 1.29', bin: 'docker-compose' },
    {
      name: 'Compose v2',
      bin: v2,
      missing: existsSync(v2) ? undefined : `${v2} not built (.ci/compose-v2.sh builds it)`,
    },
  ];
}

async function version(c: Compose): Promise<string | undefined> {
  if (c.missing) return undefined;
  try {
    return (await run(c.bin, ['version', '--short'])).stdout.trim();
  } catch {
    return undefined;
  }
}

describeImage('docker-compose.yml, by real Compose implementations', () => {
  const names = scenario('ctr-compose');
  const projects: { c: Compose; project: string }[] = [];
  const containers: string[] = [];

  afterAll(async () => {
    for (const { c, project } of projects)
      await run(c.bin, ['-p', project, ...FILES, 'down', '--remove-orphans', '-t', '30'], {
        env: { ...process.env, ...loopbackEnv },
      }).catch(() => undefined);
    const client = await getContainerRuntimeClient();
    for (const id of containers)
      await client.container
        .getById(id)
        .remove({ force: true, v: true })
        .catch(() => undefined);
    const es = createEsClient();
    await deleteIndices(es, `${names.indexPrefix}*`);
    await es.close();
    await deleteTopics([names.topic, names.deadLetterTopic, `${names.groupId}.state`]);
  });

  let loopbackEnv: Record<string, string> = {};

  for (const c of implementations()) {
    it(`${c.name}: \`config\` accepts the file, alone and with the loopback override`, async (ctx) => {
      const v = await version(c);
      if (!v) {
        if (REQUIRED) throw new Error(`${c.name} is required here: ${c.missing ?? `${c.bin} does not run`}`);
        return ctx.skip(c.missing ?? `${c.bin} does not run`);
      }
      expect(v).toMatch(c.name.includes('1.29') ? /^1\.29\./ : /^v?2\./);
      const main = await run(c.bin, ['-f', join(REPO, 'docker-compose.yml'), 'config', '-q'], { cwd: REPO });
      expect(main.stderr).not.toMatch(/error|invalid/i);
      loopbackEnv = await envFor(c.name);
      const merged = await run(c.bin, [...FILES, 'config'], { env: { ...process.env, ...loopbackEnv } });
      expect(merged.stdout).toContain(IMAGE);
      expect(merged.stdout).toMatch(/network_mode: host/);
      process.stderr.write(`[container] ${c.name} (${v}) validated docker-compose.yml\n`);
    });

    it(`${c.name}: starts the tuxwatch service of the file (\`up\`; \`run\` for 1.29) against the loopback stack; it turns healthy`, async (ctx) => {
      if (!(await version(c))) {
        if (REQUIRED) throw new Error(`${c.name} is required here`);
        return ctx.skip(c.missing ?? `${c.bin} does not run`);
      }
      const project = uniqueName('tuxwatch-compose');
      projects.push({ c, project });
      const env = { ...process.env, ...(await envFor(c.name)) };
      const port = Number(env['TUXWATCH_HTTP_PORT']);
      // Compose 1.29 (docker-py) refuses the main file's published port on the host network, and an override
      // cannot drop it there: it runs the service one-off, which publishes nothing; v2 runs `up`
      const start = c.name.includes('1.29')
        ? ['run', '-d', '--no-deps', 'tuxwatch']
        : ['up', '-d', '--no-deps', '--no-build', 'tuxwatch'];
      await run(c.bin, ['-p', project, ...FILES, ...start], { env });
      const client = await getContainerRuntimeClient();
      const [found] = await client.container.dockerode.listContainers({
        filters: { label: [`com.docker.compose.project=${project}`, 'com.docker.compose.service=tuxwatch'] },
      });
      expect(found, 'the compose project has a tuxwatch container').toBeDefined();
      const container = client.container.getById(found!.Id);
      containers.push(found!.Id);
      const info = await container.inspect();
      // what the main file asks for, applied by Compose
      expect(info.HostConfig).toMatchObject({ ReadonlyRootfs: true, CapDrop: ['ALL'], Init: true });
      expect(info.HostConfig.SecurityOpt).toEqual(['no-new-privileges:true']);
      expect(Object.keys(info.HostConfig.Tmpfs ?? {})).toEqual(['/tmp']);
      await waitFor(
        async () => ((await container.inspect()).State.Health?.Status === 'healthy' ? true : undefined),
        {
          timeoutMs: 90_000,
          intervalMs: 1_000,
          message: `${c.name}: tuxwatch healthy`,
        },
      );
      expect((await httpGet(port, '/health/ready')).status).toBe(200);
      await container.stop({ t: 30 });
      expect((await container.inspect()).State.ExitCode).toBe(0);
      process.stderr.write(`[container] ${c.name}: compose service tuxwatch healthy, stopped with exit 0\n`);
    });
  }

  /** The override's variables: the test stack, the scenario's names, a free port (one group per Compose). */
  async function envFor(name: string): Promise<Record<string, string>> {
    const e = serviceEnv(names);
    return {
      TUXWATCH_IMAGE: IMAGE,
      KAFKA_BROKERS: e['KAFKA_BROKERS']!,
      KAFKA_GROUP_ID: `${names.groupId}-${name.includes('1.29') ? 'v1' : 'v2'}`,
      KAFKA_TOPICS: names.topic,
      KAFKA_DEAD_LETTER_TOPIC: names.deadLetterTopic,
      KAFKA_STATE_TOPIC: `${names.groupId}.state`,
      ELASTICSEARCH_URL: e['ELASTICSEARCH_URL']!,
      TUXWATCH_ALERT_INDEX_PREFIX: names.indexPrefix,
      TUXWATCH_HTTP_PORT: String(await freePort()),
    };
  }
});
