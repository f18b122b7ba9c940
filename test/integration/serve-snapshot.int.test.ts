import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KafkaSink } from '../../src/collect/kafka-sink';
import type { SnapshotRecord } from '../../src/domain/snapshot-record';
import { kafkaBrokers } from '../support/endpoints';
import { useScenario } from '../support/scenario';
import type { ServiceProcess } from '../support/service';
import { indexedAlerts } from './faults/fault-helpers';

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
  const s = useScenario('snapshot', { partitions: 2, deadLetterTopic: false });
  let sent = 0;
  const start = (): ServiceProcess => s.start({ TUXWATCH_BATCH_SIZE: '50' });

  async function send(records: readonly SnapshotRecord[], service: ServiceProcess): Promise<void> {
    const sink = await KafkaSink.open(
      { brokers: kafkaBrokers(), clientId: 'tuxwatch-test-collect' },
      s.topic,
    );
    for (const r of records) await sink.write(r);
    await sink.close();
    sent += records.length;
    await s.allCommitted(sent, { timeoutMs: 90_000, logs: () => service.logs });
  }

  const findings = async (): Promise<string[]> =>
    (await indexedAlerts(s.es, `${s.indexPrefix}*`)).map((a) => `${a.ruleId} ×${a.count}`).sort();

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
