import { describe, expect, it } from 'vitest';
import { aideParser } from '../../../src/parse/parsers/aide';
import { context, fixture, reasonOf } from './evidence-fixtures';

const report = JSON.parse(fixture('aide', 'lab-changed-attributes.json')) as Record<string, unknown>;
const variant = (patch: Record<string, unknown>): string => JSON.stringify({ ...report, ...patch });

describe('AIDE: records that are not a usable report are rejected with a reason', () => {
  it('prototype keys anywhere', () => {
    const text = variant({ added: JSON.parse('{"__proto__": "f+++"}') as unknown });
    expect(reasonOf(aideParser, text)).toMatch(/forbidden key/);
  });

  it('no start_time, or one that is not a time', () => {
    expect(reasonOf(aideParser, variant({ start_time: undefined }))).toMatch(/start_time/);
    expect(reasonOf(aideParser, variant({ start_time: 'yesterday' }))).toMatch(/not a timestamp/);
  });

  it('an offset-less start_time is read in the source zone and says so', () => {
    const outcome = aideParser.parse(
      variant({ start_time: '2026-11-26 14:01:52' }),
      context({ timezone: 'Asia/Kolkata' }),
    );
    expect(outcome.ok && outcome.events[0]).toMatchObject({
      '@timestamp': '2026-11-26T08:31:52.000Z',
      'event.timezone': 'Asia/Kolkata',
    });
  });

  it('sections of the wrong shape', () => {
    expect(reasonOf(aideParser, variant({ added: ['/etc/passwd'] }))).toMatch(/added/);
    expect(reasonOf(aideParser, variant({ changed: { '/etc/x': 7 } }))).toMatch(/summary/);
    expect(reasonOf(aideParser, variant({ details: { [`/tmp/tw-aide/tree/usr/bin/helper`]: 'x' } }))).toMatch(
      /details/,
    );
  });

  it('nesting deeper than the limit is refused before parsing', () => {
    const deep = `{"aide_version":"0.18.3","start_time":"2026-11-26 14:01:52 +0530","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(reasonOf(aideParser, deep)).toMatch(/nested deeper/);
  });

  it('malformed JSON, and text that is not an AIDE report', () => {
    expect(reasonOf(aideParser, '{"aide_version": ')).toMatch(/malformed JSON/);
    expect(reasonOf(aideParser, 'AIDE found differences between database and filesystem!!')).toMatch(
      /plain-text/,
    );
    const broken = fixture('aide', 'lab-changed-attributes.txt').replace(
      ': /tmp/tw-aide/tree/usr/bin/oldtool',
      ' oldtool',
    );
    expect(reasonOf(aideParser, broken)).toMatch(/unreadable removed entry/);
  });

  it('an empty report is zero events, not an error', () => {
    const outcome = aideParser.parse(
      JSON.stringify({
        start_time: report['start_time'],
        aide_version: '0.18.3',
        outline: 'All files match',
      }),
      context(),
    );
    expect(outcome).toEqual({ ok: true, events: [] });
  });
});
