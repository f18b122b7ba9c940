import { readFileSync } from 'node:fs';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusLines } from '../support/corpus';
import { createEsClient, deleteIndices, searchDocs } from '../support/elasticsearch';
import { uniqueName } from '../support/names';
import { scenario, serviceEnv, useScenario } from '../support/scenario';
import { healthPort, startService } from '../support/service';
import { waitFor } from '../support/wait';

const UID0 = corpusLines('web01', 'auth.log').find((l) => l.includes('name=toor'))!;
/** web01's UID 0 useradd, at an ISO time of our choosing (the line's own time is yearless). */
const uid0At = (iso: string, name: string) =>
  `${iso} web01 useradd[207]: new user: name=${name}, UID=0, GID=0, home=/root, shell=/bin/bash, from=none`;

describe('K07: attacker-chosen event years do not create indices', () => {
  const run = useScenario('hostile-years');
  const { indexPrefix } = run;

  it('far-past and far-future alerts go to the current month, time kept and flagged; a genuine one as ever', async () => {
    const { es } = run;
    const now = new Date();
    const odd = [
      '1003-01-02T10:00:00Z',
      '1004-06-02T10:00:00Z',
      '9999-12-31T23:59:59Z',
      '2999-01-01T00:00:00Z',
    ];
    await run.send([
      ...odd.map((t, i) => ({ key: 'web01', value: uid0At(t, `forged${i}`) })),
      { key: 'web01', value: uid0At(now.toISOString(), 'genuine') },
    ]);

    const service = run.start();
    await run.allCommitted(odd.length + 1, { timeoutMs: 60_000, logs: () => service.logs });
    const month = `${indexPrefix}${now.toISOString().slice(0, 4)}.${now.toISOString().slice(5, 7)}`;
    const indices = Object.keys(await es.indices.get({ index: `${indexPrefix}*` }));
    expect(indices).toEqual([month]);
    const alerts = await searchDocs<{
      '@timestamp': string;
      user: { target: { name: string } };
      tuxwatch: { event?: { time_out_of_range?: boolean } };
    }>(es, `${indexPrefix}*`);
    const byName = new Map(alerts.map((a) => [a.user.target.name, a]));
    odd.forEach((t, i) => {
      const a = byName.get(`forged${i}`)!;
      expect(a['@timestamp']).toBe(new Date(t).toISOString());
      expect(a.tuxwatch.event?.time_out_of_range).toBe(true);
    });
    expect(byName.get('genuine')!.tuxwatch.event?.time_out_of_range).toBeUndefined();
  });
});

describe('K08: a dead letter the topic cannot take is cut, flagged and sized; the service goes on', () => {
  /** the dead-letter topic takes messages of this size at most (the broker's default is 1 MiB) */
  const TOPIC_MAX = 16_384;
  const run = useScenario('hostile-poison', {
    deadLetterTopic: { configEntries: [{ name: 'max.message.bytes', value: String(TOPIC_MAX) }] },
  });
  const { kafka, deadLetterTopic, indexPrefix } = run;

  it('a record just under the dead-letter topic limit (NUL bytes): its dead letter is cut; the record behind it alerts', async () => {
    const poison = Buffer.alloc(TOPIC_MAX - 100); // with the headers, more than the topic takes
    await run.send([
      { key: 'web01', value: poison },
      { key: 'web01', value: UID0, headers: { timezone: 'Europe/Berlin' } },
    ]);

    const service = run.start();
    await run.allCommitted(2, { timeoutMs: 60_000, logs: () => service.logs });
    expect(service.logs).not.toMatch(/cannot be written/);
    const [dead] = await readTopic(kafka, deadLetterTopic, 1);
    const header = (name: string) => dead!.headers?.[name]?.toString();
    expect(header('tuxwatch.truncated')).toBe('true');
    expect(header('tuxwatch.size')).toBe(String(poison.length));
    expect(header('tuxwatch.reason')).toBe('no parser recognises this record');
    expect(dead!.value!.length).toBeLessThan(poison.length);
    expect(dead!.value).toEqual(poison.subarray(0, dead!.value!.length));
    const alerts = await waitFor(async () => {
      const docs = await searchDocs<{ rule: { id: string } }>(run.es, `${indexPrefix}*`);
      return docs.length > 0 ? docs : undefined;
    });
    expect(alerts.map((a) => a.rule.id)).toContain('new-uid0-account');
  });
});

/**
 * The local addresses a TCP port is listening on, from the kernel's socket tables (hex address:port, state 0A =
 * LISTEN): true whatever interfaces the machine has, where a connection attempt to another interface proves
 * nothing on a machine with loopback only.
 */
function listeningOn(port: number): string[] {
  const out: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = row.trim().split(/\s+/);
      if (state !== '0A' || local === undefined) continue;
      const [hex, portHex] = local.split(':');
      if (parseInt(portHex!, 16) !== port) continue;
      out.push(
        hex!.length === 8
          ? hex!
              .match(/../g)!
              .reverse()
              .map((b) => parseInt(b, 16))
              .join('.')
          : hex === '0'.repeat(32)
            ? '::'
            : hex!,
      );
    }
  }
  return out.sort();
}

describe('K01: a running serve has /health and /metrics on loopback unless told otherwise', () => {
  const run = useScenario('hostile-http');

  const listening = async (env: Record<string, string>) => {
    const service = run.start(env);
    try {
      await waitFor(() => /"healthPort":\d+/.test(service.logs), {
        timeoutMs: 60_000,
        message: 'health port',
      });
      const port = healthPort(service.logs);
      const live = await fetch(`http://127.0.0.1:${port}/health/live`);
      return { addresses: listeningOn(port), live: live.status };
    } finally {
      await service.stop();
    }
  };

  it('no TUXWATCH_HTTP_HOST: 127.0.0.1 only; TUXWATCH_HTTP_HOST=0.0.0.0 (the image): every IPv4 interface', async () => {
    expect(await listening({})).toEqual({ addresses: ['127.0.0.1'], live: 200 });
    expect(await listening({ TUXWATCH_HTTP_HOST: '0.0.0.0' })).toEqual({ addresses: ['0.0.0.0'], live: 200 });
  }, 150_000);
});

describe('serve start: nothing reachable is no zombie (K02, K03), a SASL mismatch is a clean error (K04)', () => {
  const names = scenario('hostile-start');
  // a service that got as far as Elasticsearch made this month's (empty) alert index
  afterAll(async () => {
    const es = createEsClient();
    await deleteIndices(es, `${names.indexPrefix}*`);
    await es.close();
  });
  const exitWithin = async (env: Record<string, string>, ms: number) => {
    const service = startService(serviceEnv(names, env));
    const timer = setTimeout(() => service.kill('SIGKILL'), ms);
    const exit = await service.exited;
    clearTimeout(timer);
    return { ...exit, logs: service.logs };
  };

  it('K02: Elasticsearch unreachable at start: exit 1 with the reason logged', async () => {
    const run = await exitWithin({ ELASTICSEARCH_URL: 'http://127.0.0.1:1' }, 60_000);
    expect(run).toMatchObject({ code: 1, signal: null });
    expect(run.logs).toMatch(
      /"level":60,.*"err":"connect ECONNREFUSED 127\.0\.0\.1:1","msg":"could not start; exiting"/,
    );
  });

  it('K03: Kafka unreachable at start: kafkajs retries (logged), then exit 1', async () => {
    const run = await exitWithin({ KAFKA_BROKERS: '127.0.0.1:1' }, 110_000);
    expect(run).toMatchObject({ code: 1, signal: null });
    expect(run.logs).toMatch(/"level":60.*could not start/);
  }, 120_000);

  it("K04: SASL against a plaintext broker: exit 1 with kafkajs' reason, no crash, no password", async () => {
    const run = await exitWithin(
      { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'SASLSECRET_xyz' },
      110_000,
    );
    expect(run).toMatchObject({ code: 1, signal: null });
    expect(run.logs).toMatch(/"level":60.*could not start/);
    expect(run.logs).not.toMatch(/TypeError|startsWith|SASLSECRET/);
  }, 120_000);
});

async function readTopic(kafka: Kafka, from: string, count: number): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('hostile-reader') });
  const got: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [from], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void got.push(message) });
  await waitFor(() => got.length >= count, { timeoutMs: 30_000, message: `${count} messages on ${from}` });
  await consumer.disconnect();
  return got;
}
