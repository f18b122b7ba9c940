import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { corpusLines } from '../support/corpus';
import { searchDocs } from '../support/elasticsearch';
import { uniqueName } from '../support/names';
import { useScenario } from '../support/scenario';
import { healthPort } from '../support/service';
import { waitFor } from '../support/wait';

/** Unparseable records go to the dead-letter topic with their reason; the good ones around them still alert. */
describe('serve: bad records are dead-lettered, never fatal', () => {
  const run = useScenario('dl');
  const { topic, deadLetterTopic, indexPrefix } = run;
  const good = corpusLines('web01', 'auth.log').find((l) => l.includes('name=toor'))!;
  const bad: { value: Buffer; headers?: Record<string, string>; why: RegExp }[] = [
    { value: Buffer.from('Nov 26 09:1'), why: /no parser|not a syslog/ },
    {
      value: Buffer.from(
        '{"msg":"x","timereported":"2026-11-26T09:10:47Z","hostname":"h","syslogtag":"a:","__proto__":{"x":1}}',
      ),
      why: /__proto__/,
    },
    { value: Buffer.from('Nov 26 09:10:47 web01 sshd[1]: ' + 'A'.repeat(5000)), why: /exceeds the limit/ },
    { value: Buffer.from([0x00, 0xff, 0xfe, 0x41]), why: /no parser|binary|UTF-8/ },
    { value: Buffer.from(good), headers: { timezone: 'Mars/Olympus' }, why: /timezone header/ },
    { value: Buffer.from(''), why: /empty/ },
  ];

  it('writes exactly the bad records, with reason and source position, and commits past them', async () => {
    await run.send([
      ...bad.map((b) => ({
        key: 'web01',
        value: b.value,
        headers: b.headers ?? { timezone: 'Europe/Berlin' },
      })),
      { key: 'web01', value: good, headers: { timezone: 'Europe/Berlin' } },
    ]);

    const service = run.start({ TUXWATCH_MAX_RECORD_BYTES: '4096' });
    await run.allCommitted(bad.length + 1, { timeoutMs: 60_000, logs: () => service.logs });

    const dead = await readAll(deadLetterTopic, bad.length);
    expect(dead).toHaveLength(bad.length);
    dead.forEach((m, i) => {
      expect(m.value ?? Buffer.alloc(0)).toEqual(bad[i]!.value);
      expect(m.key?.toString()).toBe('web01');
      expect(m.headers?.['tuxwatch.reason']?.toString()).toMatch(bad[i]!.why);
      expect(m.headers?.['tuxwatch.source.topic']?.toString()).toBe(topic);
      expect(m.headers?.['tuxwatch.source.offset']?.toString()).toBe(String(i));
    });

    const alerts = await searchDocs<{ rule: { id: string } }>(run.es, `${indexPrefix}*`);
    expect(alerts.filter((a) => a.rule.id === 'new-uid0-account')).toHaveLength(1);
    const ready = await waitFor(
      async () => (await fetch(`http://127.0.0.1:${healthPort(service.logs)}/health/ready`)).status === 200,
      {
        timeoutMs: 10_000,
        message: 'ready',
      },
    );
    expect(ready).toBe(true);

    const metrics = await (await fetch(`http://127.0.0.1:${healthPort(service.logs)}/metrics`)).text();
    const value = (name: string) =>
      Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'm').exec(metrics)?.[1]);
    expect(value('tuxwatch_records_in_total')).toBe(bad.length + 1);
    expect(value('tuxwatch_records_dead_lettered_total')).toBe(bad.length);
    expect(value('tuxwatch_records_parsed_total')).toBe(1);
    expect(metrics).toMatch(/^tuxwatch_alerts_total\{rule="new-uid0-account"\} 1$/m);
    expect(metrics).toMatch(/^tuxwatch_consumer_lag\{topic="[^"]+",partition="0"\} 0$/m);
  });

  async function readAll(from: string, count: number): Promise<KafkaMessage[]> {
    const consumer = run.kafka.consumer({ groupId: uniqueName('dl-reader') });
    const got: KafkaMessage[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [from], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push(message) });
    await waitFor(() => got.length >= count, { timeoutMs: 30_000, message: `${count} dead letters` });
    // a moment more: anything extra would show up now
    await new Promise((r) => setTimeout(r, 1000));
    await consumer.disconnect();
    return got.sort(
      (a, b) => Number(a.headers?.['tuxwatch.source.offset']) - Number(b.headers?.['tuxwatch.source.offset']),
    );
  }
});
