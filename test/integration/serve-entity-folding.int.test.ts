import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, tuxwatch } from '../support/cli';
import { corpusLines } from '../support/corpus';
import { searchDocs } from '../support/elasticsearch';
import { committedOffsets } from '../support/kafka';
import { useScenario } from '../support/scenario';
import type { ServiceProcess } from '../support/service';
import { waitFor } from '../support/wait';

interface AlertDoc {
  '@timestamp': string;
  rule: { id: string };
  user: { target: { name: string } };
  event: { start: string; end: string; original: string };
  tuxwatch: { alert: { count: number; sources: string[] } };
}

/**
 * The same UID 0 account from three sources, through the real broker and node: web02's auth.log line for
 * `useradd -o -u 0 r00t` (written in America/Los_Angeles) and the kernel's audit event for the same
 * command (its exec names the account, ADD_USER only id=0) are one Elasticsearch document; after a SIGKILL
 * and a restart, collect's sweep of the same account updates that document (the ledger came back from the
 * state topic) instead of colliding with it or opening another.
 */
describe('serve: one finding seen by auth.log, audit and collect is one document', () => {
  const s = useScenario('entity', { deadLetterTopic: false });
  const start = (): ServiceProcess => s.start({ TUXWATCH_BATCH_SIZE: '10' });

  const authLine = corpusLines('web02', 'auth.log').find((l) => l.includes('new user: name=r00t'))!;
  // useradd's exec (serial 7944) through the ADD_USER record (7950) and the syscalls after it
  const auditLines = corpusLines('web02', 'audit.log').filter((l) =>
    /msg=audit\(\d+\.\d+:79(4[4-9]|5[0-2])\)/.test(l),
  );
  const sweepRecord = readFileSync(
    resolve(__dirname, '..', 'fixtures', 'snapshot', 'web02-collect-after.ndjson'),
    'utf8',
  )
    .split('\n')
    .find((l) => l.includes('"fact":"account"') && l.includes('"name":"r00t"'))!;

  const send = (messages: { value: string; headers?: Record<string, string> }[]): Promise<void> =>
    s.send(messages.map((m) => ({ key: 'web02', ...m })));

  const uid0Alerts = () =>
    searchDocs<AlertDoc & { _id?: string }>(s.es, `${s.indexPrefix}*`, {
      term: { 'rule.id': 'new-uid0-account' },
    });

  /** the new-uid0-account documents, once one of them counts `source` among its sources */
  const alertsWithSource = (source: string, service: ServiceProcess) =>
    waitFor(
      async () => {
        const docs = await uid0Alerts();
        return docs.some((d) => d.tuxwatch.alert.sources.includes(source)) ? docs : undefined;
      },
      { timeoutMs: 90_000, message: `an alert with source ${source}` },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${service.logs.slice(-3000)}`);
    });

  const documentId = async (): Promise<string> => {
    const res = await s.es.search({
      index: `${s.indexPrefix}*`,
      query: { term: { 'rule.id': 'new-uid0-account' } },
    });
    return res.hits.hits[0]!._id!;
  };

  it('auth.log and audit make one document; collect after a restart updates it', async () => {
    expect(authLine).toBeDefined();
    expect(auditLines.length).toBe(41);
    expect(sweepRecord).toBeDefined();
    const first = start();
    await send([
      { value: authLine, headers: { timezone: 'America/Los_Angeles' } },
      ...auditLines.map((value) => ({ value })),
    ]);
    const joined = await alertsWithSource('auditd', first);
    expect(joined).toHaveLength(1);
    const [doc] = joined;
    expect(doc!.user.target.name).toBe('r00t');
    expect(doc!.tuxwatch.alert.sources).toEqual(['auditd', 'syslog']);
    expect(doc!.tuxwatch.alert.count).toBe(2);
    expect(doc!['@timestamp']).toBe('2026-11-27T15:12:33.000Z');
    expect(doc!.event.original).toBe(authLine);

    // the ledger is on the state topic once the offsets past ADD_USER (message 33) are committed
    await waitFor(async () => Number((await committedOffsets(s.groupId, s.topic)).get(0) ?? 0) > 33, {
      timeoutMs: 60_000,
      message: 'offsets past the audit event committed',
    });
    first.kill('SIGKILL');
    await first.exited;
    const second = start();
    await send([{ value: sweepRecord }]);
    const resumed = await alertsWithSource('snapshot', second);
    expect(resumed).toHaveLength(1);
    const [after] = resumed;
    expect(after!.tuxwatch.alert.sources).toEqual(['auditd', 'snapshot', 'syslog']);
    expect(after!.tuxwatch.alert.count).toBe(3);
    // the first occurrence stays the auth.log line; the sweep, hours later, is the last sighting
    expect(after!['@timestamp']).toBe('2026-11-27T15:12:33.000Z');
    expect(after!.event.original).toBe(authLine);
    expect(after!.event.start).toBe('2026-11-27T15:12:33.000Z');
    expect(after!.event.end).toBe('2026-11-27T21:05:12.752Z');

    // `scan` over the same three records gives the document's id
    const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-entity-'));
    writeFileSync(join(dir, 'auth.log'), `${authLine}\n`);
    writeFileSync(join(dir, 'audit.log'), `${auditLines.join('\n')}\n`);
    writeFileSync(join(dir, 'sweep.ndjson'), `${sweepRecord}\n`);
    const run = tuxwatch(['scan', '--timezone', 'America/Los_Angeles', '--rule', 'new-uid0-account', dir]);
    expect(run.status, run.stderr).toBe(0);
    const scanned = ndjson<{ event: { id: string }; tuxwatch: { alert: { count: number } } }>(run.stdout);
    expect(scanned.map((a) => [a.event.id, a.tuxwatch.alert.count])).toEqual([[await documentId(), 3]]);
  });
});
