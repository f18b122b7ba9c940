import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ndjson, tuxwatch } from '../support/cli';
import { corpusLines, corpusPath } from '../support/corpus';
import { useScenario } from '../support/scenario';
import { AUDIT_FIXTURES } from '../unit/parse/audit-evidence';

interface AlertDoc {
  rule: { id: string };
  server?: { port: number };
  process: { name: string; pid: number; executable?: string };
  user?: { name: string };
  event: { id?: string };
  tuxwatch: { alert: { sources: string[] } };
}

const SNAPSHOTS = ['lsof-i.txt', 'ss-tunap.txt', 'ps-auxww.txt'];
const SOCKET_RULES = ['suspicious-listener', 'masquerading-process-connection'];

/** The socket alerts the scenario's service indexed. */
async function socketDocs(run: ReturnType<typeof useScenario>) {
  await run.es.indices.refresh({ index: `${run.indexPrefix}*` });
  const hits = (
    await run.es.search<AlertDoc>({ index: `${run.indexPrefix}*`, size: 100, query: { match_all: {} } })
  ).hits.hits;
  return hits.filter((h) => SOCKET_RULES.includes(h._source!.rule.id));
}

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
    const sockets = await socketDocs(run);
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

/**
 * One process seen from two pid namespaces: auditd writes the host's pids, ss, lsof and ps run inside the
 * namespace write its own. serve folds them as scan does (alert-folder.ts, namespaced-pids.ts).
 */
describe('serve: a socket seen by auditd and by a sweep from inside its pid namespace is one alert', () => {
  const run = useScenario('pidns', { deadLetterTopic: false });

  it('pune-db3: auditd’s listeners (the host’s pids) and the sweep from inside the pid namespace: one document each, the _id of scan', async () => {
    const fixture = resolve(AUDIT_FIXTURES, 'pune-db3');
    const audit = gunzipSync(readFileSync(join(fixture, 'audit.log.gz'))).toString('utf8');
    const sweepFiles = ['ss-tunap.txt', 'lsof-i.txt', 'ps-auxww.txt'];
    const sweep = sweepFiles.flatMap((f) =>
      readFileSync(join(fixture, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
    // the sweep ran just before the scenario's AIDE check: its records carry that time, as a live one would
    const actions = readFileSync(join(fixture, 'actions.jsonl'), 'utf8').trim().split('\n');
    const sweptAt = Date.parse((JSON.parse(actions.at(-1)!) as { utc: string }).utc);
    const auditLines = audit.split('\n').filter((l) => l.trim() !== '');
    await run.send([
      ...auditLines.map((value) => ({ key: 'pune-db3', value })),
      ...sweep.map((value) => ({ key: 'pune-db3', value, timestamp: String(sweptAt) })),
    ]);

    const service = run.start({ TUXWATCH_BATCH_SIZE: '50' });
    await run.allCommitted(auditLines.length + sweep.length, {
      timeoutMs: 60_000,
      logs: () => service.logs,
    });
    const sockets = await socketDocs(run);
    expect(
      sockets
        .map((h) => `${h._source!.rule.id} ${h._source!.process.pid} ${h._source!.server?.port ?? ''}`)
        .sort(),
    ).toEqual([
      'masquerading-process-connection 26691 ',
      'suspicious-listener 26687 31337',
      'suspicious-listener 26688 1524',
      'suspicious-listener 26689 4444',
    ]);
    for (const h of sockets) expect(h._source!.tuxwatch.alert.sources).toEqual(['auditd', 'lsof', 'ss']);

    // scan of the same files: the same findings under the same ids
    const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-pune-db3-'));
    writeFileSync(join(dir, 'audit.log'), audit);
    for (const f of sweepFiles) copyFileSync(join(fixture, f), join(dir, f));
    const scanned = ndjson<AlertDoc>(
      tuxwatch(['scan', '--host', 'pune-db3', '--format', 'ndjson', dir]).stdout,
    );
    const scannedSockets = scanned.filter((a) => SOCKET_RULES.includes(a.rule.id));
    expect(sockets.map((h) => h._id).sort()).toEqual(scannedSockets.map((a) => a.event.id).sort());
  });
});
