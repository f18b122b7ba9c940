import { describe, expect, it } from 'vitest';
import { corpusLines } from '../support/corpus';
import { searchDocs } from '../support/elasticsearch';
import { useScenario } from '../support/scenario';
import { waitFor } from '../support/wait';

interface AlertDoc {
  rule: { id: string };
  host: { name: string };
  event: { original: string };
}

/** The scheduled check: a host whose auth log stops raises one auth-log-silence alert. */
describe('serve: auth-log silence per host', () => {
  const run = useScenario('silence', { deadLetterTopic: false });

  it('web01 sends its auth log, then nothing: one alert for web01', async () => {
    await run.send(
      corpusLines('web01', 'auth.log').map((value) => ({
        key: 'web01',
        value,
        headers: { timezone: 'Europe/Berlin' },
      })),
    );
    run.start({ TUXWATCH_AUTH_SILENCE: '4s', TUXWATCH_AUTH_SILENCE_CHECK: '1s' });
    const silence = () =>
      searchDocs<AlertDoc>(run.es, `${run.indexPrefix}*`, { term: { 'rule.id': 'auth-log-silence' } });
    const [alert, ...more] = await waitFor(
      async () => ((await silence()).length > 0 ? silence() : undefined),
      {
        timeoutMs: 60_000,
        message: 'an auth-log-silence alert',
      },
    );
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ host: { name: 'web01' } });
    expect(alert!.event.original).toMatch(/no auth-log record from web01/);
    // reported once per silence: a few more checks add nothing
    await new Promise((r) => setTimeout(r, 3000));
    expect(await silence()).toHaveLength(1);
  });
});
