import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSink } from '../../src/collect/kafka-sink';
import type { SnapshotRecord } from '../../src/domain/snapshot-record';
import { createEsClient, deleteIndices } from '../support/elasticsearch';
import { kafkaBrokers } from '../support/endpoints';
import { createTopics, deleteTopics } from '../support/kafka';
import { scenario, serviceEnv } from '../support/scenario';
import { startService, type ServiceProcess } from '../support/service';
import { indexedAlerts, waitAllCommitted } from './faults/fault-helpers';

/**
 * Per-host baselines in serve (issue 13, "Done when"): snapshots of one host — a clean Debian root, then
 * the same root compromised, then the compromised root swept again — sent through Kafka the way
 * `tuxwatch collect --kafka` sends them (its KafkaSink). The first snapshot is the baseline and raises
 * nothing; the second raises each change once; the third, read by a new process after the first was
 * killed, raises nothing new: the baseline came back from the state topic. Records: test/fixtures/snapshot.
 */
const fixture = (name: string): SnapshotRecord[] =>
  readFileSync(resolve(__dirname, '..', 'fixtures', 'snapshot', `${name}.ndjson`), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as SnapshotRecord);

describe('serve: what changed between two snapshots of a host alerts, once, across a restart', () => {
  const s = scenario('snapshot');
  const services: ServiceProcess[] = [];
  let es: Client;
  let sent = 0;
  const env = serviceEnv(s, { TUXWATCH_BATCH_SIZE: '50' });
  const start = (): ServiceProcess => {
    const service = startService(env);
    services.push(service);
    return service;
  };

  async function send(records: readonly SnapshotRecord[], service: ServiceProcess): Promise<void> {
    const sink = await KafkaSink.open(
      { brokers: kafkaBrokers(), clientId: 'tuxwatch-test-collect' },
      s.topic,
    );
    for (const r of records) await sink.write(r);
    await sink.close();
    sent += records.length;
    await waitAllCommitted(s.groupId, s.topic, sent, { timeoutMs: 90_000, logs: () => service.logs });
  }

  const findings = async (): Promise<string[]> =>
    (await indexedAlerts(es, `${s.indexPrefix}*`)).map((a) => `${a.ruleId} ×${a.count}`).sort();

  beforeAll(async () => {
    es = createEsClient();
    await createTopics([{ topic: s.topic, numPartitions: 2 }]);
  });

  afterAll(async () => {
    await Promise.all(services.map((x) => x.stop()));
    await deleteIndices(es, `${s.indexPrefix}*`);
    await deleteTopics([s.topic, s.deadLetterTopic, `${s.groupId}.state`]);
    await es.close();
  });

  it('baseline, then each change once, then nothing new after a SIGKILL and a restart', async () => {
    const first = start();
    await send(fixture('debian-clean'), first);
    expect(await findings()).toEqual([]);

    await send(fixture('debian-compromised'), first);
    const changed = [
      'authorized-keys-change ×1',
      'deleted-executable-running ×1',
      'dev-regular-file ×1',
      'hidden-directory ×1',
      'hosts-file-change ×1',
      'inittab-change ×1',
      'new-uid0-account ×1',
      'sudoers-change ×1',
      'suid-sgid-creation ×1',
      'suspicious-listener ×1',
      'system-binary-modified ×1',
      'system-binary-modified ×1',
      'timestomped-file ×1',
    ];
    expect(await findings()).toEqual(changed);

    first.kill('SIGKILL');
    await first.exited;
    const second = start();
    await send(fixture('debian-compromised-again'), second);
    expect(await findings()).toEqual(changed);
    // the same run delivered again (a producer retry) changes nothing either
    await send(fixture('debian-compromised-again'), second);
    expect(await findings()).toEqual(changed);
  });
});
