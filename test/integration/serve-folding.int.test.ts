import { describe, expect, it } from 'vitest';
import { corpusLines } from '../support/corpus';
import { searchDocs } from '../support/elasticsearch';
import { useScenario } from '../support/scenario';

interface AlertDoc {
  '@timestamp': string;
  rule: { id: string };
  user: { target: { name: string } };
  event: { start: string; end: string; original: string };
  tuxwatch: { alert: { count: number } };
}

/** The same findings arriving again (another encoding of the same log) raise the count of one alert. */
describe('serve: repeats fold into one alert with a count', () => {
  const run = useScenario('fold', { deadLetterTopic: false });

  it('two encodings of web01 auth.log: each UID 0 account is one alert, counted twice, on the first record', async () => {
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
      // the traditional line came first: it opened the alert; the RFC 5424 one (sub-second time) moved its end
      expect(a.event.original).toMatch(/^Nov 26 /);
      expect(a.event.start).toBe(a['@timestamp']);
      expect(Date.parse(a.event.end)).toBeGreaterThan(Date.parse(a.event.start));
    }
  });
});
