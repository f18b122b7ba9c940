import { describe, expect, it } from 'vitest';
import { ndjson, tuxwatch } from '../support/cli';
import { corpusLines, corpusPath } from '../support/corpus';
import { useScenario } from '../support/scenario';

interface AlertDoc {
  rule: { id: string };
  server?: { port: number };
  process: { name: string; pid: number; executable?: string };
  user?: { name: string };
  event: { id?: string };
  tuxwatch: { alert: { sources: string[] } };
}

const SNAPSHOTS = ['lsof-i.txt', 'ss-tunap.txt', 'ps-auxww.txt'];

/**
 * One socket seen by lsof, ss and ps is one alert in Elasticsearch too, with the same `_id` scan gives it:
 * the folding key is shared. The ps rows arrive in later chunks than the listeners: the alert is updated
 * with what ps knew (the executable), as scan completes it whichever file it reads first.
 */
describe('serve: a socket seen by lsof, ss and ps is one alert', () => {
  const run = useScenario('sock', { deadLetterTopic: false });

  it('web01’s listeners and initd’s connection: one document each, full name, user, executable, the _id of scan', async () => {
    const lines = SNAPSHOTS.flatMap((f) => corpusLines('web01', f));
    await run.send(lines.map((value) => ({ key: 'web01', value })));

    const service = run.start({ TUXWATCH_BATCH_SIZE: '5' });
    await run.allCommitted(lines.length, { timeoutMs: 60_000, logs: () => service.logs });
    await run.es.indices.refresh({ index: `${run.indexPrefix}*` });
    const hits = (
      await run.es.search<AlertDoc>({ index: `${run.indexPrefix}*`, size: 100, query: { match_all: {} } })
    ).hits.hits;
    const sockets = hits.filter((h) =>
      ['suspicious-listener', 'masquerading-process-connection'].includes(h._source!.rule.id),
    );
    expect(sockets.map((h) => `${h._source!.rule.id} ${h._source!.server?.port ?? ''}`).sort()).toEqual([
      'masquerading-process-connection ',
      'suspicious-listener 1337',
      'suspicious-listener 31337',
      'suspicious-listener 8081',
    ]);
    const nc = sockets.find((h) => h._source!.server?.port === 1337)!._source!;
    expect(nc.process).toMatchObject({ name: 'nc.openbsd', pid: 413 });
    expect(nc.user?.name).toBe('root');
    expect(nc.tuxwatch.alert.sources).toEqual(['lsof', 'ps', 'ss']);
    const smbd = sockets.find((h) => h._source!.server?.port === 31337)!._source!;
    expect(smbd.process.executable).toBe('/tmp/gen.Al5v/bin/smbd');

    // scan of the same files: the same findings under the same ids
    const scanned = ndjson<AlertDoc>(
      tuxwatch([
        'scan',
        '--host',
        'web01',
        '--format',
        'ndjson',
        ...SNAPSHOTS.map((f) => corpusPath('web01', f)),
      ]).stdout,
    );
    expect(sockets.map((h) => h._id).sort()).toEqual(scanned.map((a) => a.event.id).sort());
  });
});
