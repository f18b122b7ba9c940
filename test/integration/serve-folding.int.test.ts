import { describe, expect, it } from 'vitest';
import { corpusLines } from '../support/corpus';
import { searchDocs } from '../support/elasticsearch';
import { useScenario } from '../support/scenario';

interface AlertDoc {
  '@timestamp': string;
  rule: { id: string };
  user: { target: { name: string } };
  event: { start: string; end: string; original: string; timezone?: string | null };
  tuxwatch: { alert: { count: number } };
}

/** The same findings arriving again (another encoding of the same log) raise the count of one alert. */
describe('serve: repeats fold into one alert with a count', () => {
  const run = useScenario('fold', { deadLetterTopic: false });

  it('two encodings of web01 auth.log: each UID 0 account is one alert, counted twice, on the exact record; each attempt counts once in the brute-force correlations', async () => {
    const traditional = corpusLines('web01', 'auth.log');
    const rfc5424 = corpusLines('web01', 'auth-rfc5424.log');
    await run.send(
      traditional.map((value) => ({ key: 'web01', value, headers: { timezone: 'Europe/Berlin' } })),
    );
    await run.send(rfc5424.map((value) => ({ key: 'web01', value })));

    const service = run.start({ TUXWATCH_BATCH_SIZE: '10' });
    await run.allCommitted(traditional.length + rfc5424.length, {
      timeoutMs: 60_000,
      logs: () => service.logs,
    });

    const alerts = await searchDocs<AlertDoc>(run.es, `${run.indexPrefix}*`, {
      term: { 'rule.id': 'new-uid0-account' },
    });
    expect(alerts.map((a) => [a.user.target.name, a.tuxwatch.alert.count]).sort()).toEqual([
      ['tmpadmin', 2],
      ['toor', 2],
    ]);
    for (const a of alerts) {
      // the traditional line came first and opened the alert, its time read in the zone of the header; the
      // RFC 5424 copy of the same record (its offset and sub-second time its own) took its place: one record
      // told twice, at the instant the copy gives (src/alert/guessed-clock.ts)
      expect(a.event.original).toMatch(/^<\d+>1 2026-11-26T09:11:17\.\d{6}\+01:00 web01 /);
      expect(a['@timestamp']).toMatch(/^2026-11-26T08:11:17\.\d{3}Z$/);
      expect(a['@timestamp']).not.toMatch(/\.000Z$/);
      expect(a.event.start).toBe(a['@timestamp']);
      expect(a.event.end).toBe(a['@timestamp']);
      // auth.log's zone went with its reading: the update cleared it (null) in the merged document
      expect(a.event.timezone ?? null).toBeNull();
    }

    // the correlations counted each attempt once, not once per encoding: the brute-force alerts of the
    // traditional log alone (a scan of auth.log), and no account-brute-force (ten attempts on one account;
    // admin had three, root five — counted twice, they were twelve and ten)
    const counting = await searchDocs<AlertDoc & { user: { name?: string } }>(run.es, `${run.indexPrefix}*`, {
      terms: {
        'rule.id': [
          'ssh-brute-force',
          'account-brute-force',
          'password-spraying',
          'ssh-login-after-failures',
        ],
      },
    });
    expect(counting.map((a) => `${a['@timestamp'].slice(0, 19)} ${a.rule.id} ${a.user.name}`).sort()).toEqual(
      [
        '2026-11-26T08:10:55 ssh-brute-force admin',
        '2026-11-26T08:11:11 ssh-brute-force root',
        '2026-11-26T08:11:17 ssh-login-after-failures root',
      ],
    );
  });
});
