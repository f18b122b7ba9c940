import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileModeEnricher } from '../../../src/enrich';
import { aideParser } from '../../../src/parse/parsers/aide';

const REPORT = resolve(__dirname, '..', '..', 'fixtures', 'aide', 'log-clearing', 'aide-log-clearing.json');

describe('tuxwatch.file.shrunk', () => {
  it('marks the logs AIDE saw truncated or emptied, not the directory that changed with them', () => {
    const outcome = aideParser.parse(readFileSync(REPORT, 'utf8'), {
      timezone: 'UTC',
      now: new Date(),
      host: 'lab',
    });
    if (!outcome.ok) throw new Error(outcome.reason);
    const enricher = new FileModeEnricher();
    const facts = Object.fromEntries(
      outcome.events.map((e) => [e['file.path'], enricher.enrich(e)['tuxwatch.file.shrunk']]),
    );
    expect(facts).toEqual({
      '/var/log': undefined,
      '/var/log/auth.log': true,
      '/var/log/btmp': true,
      '/var/log/wtmp': undefined,
    });
  });
});
