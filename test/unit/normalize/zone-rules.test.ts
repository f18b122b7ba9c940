import { describe, expect, it } from 'vitest';
import { ZoneTable, parseZoneRules } from '../../../src/normalize/zone-rules';
import { recordFromMessage } from '../../../src/ingest/kafka/kafka-record';
import { parseRecord } from '../../../src/parse/parse-record';
import { corpusLines } from '../../support/corpus';

// web01's useradd of toor: written 09:11:17 Berlin time, 08:11:17 UTC
const line = corpusLines('web01', 'auth.log').find((l) => l.includes('name=toor'))!;
const rules = parseZoneRules(
  'topic:linux.auth=Asia/Kolkata,host:web*=Europe/Berlin,host:db??=America/New_York',
);
if (typeof rules === 'string') throw new Error(rules);
const zones = new ZoneTable(rules);

function timeVia(headers: Record<string, string>, topic: string, table = zones, defaults = 'UTC'): string {
  const position = { topic, partition: 0, offset: '0' };
  const r = recordFromMessage(
    { key: null, value: Buffer.from(line), headers, timestamp: '1795680000000', attributes: 0, offset: '0' },
    position,
    undefined,
    zones.forTopic(topic),
  );
  if (!r.ok) throw new Error(r.reason);
  const parsed = parseRecord(
    r.record,
    { timezone: defaults, maxRecordBytes: 1 << 20, zoneForHost: (h) => table.forHost(h) },
    new Date('2026-11-26T09:00:00Z'),
  );
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.events[0]!['@timestamp'];
}

describe('which zone an offset-less record is read in', () => {
  it('a timezone header wins over every configured rule', () => {
    expect(timeVia({ timezone: 'Asia/Tokyo' }, 'linux.auth')).toBe('2026-11-26T00:11:17.000Z');
  });
  it("then the record host's pattern (web01 matches web*)", () => {
    expect(timeVia({}, 'linux.auth')).toBe('2026-11-26T08:11:17.000Z');
  });
  it('then the topic, when no host rule matches', () => {
    const topicOnly = parseZoneRules('topic:linux.auth=Asia/Kolkata');
    if (typeof topicOnly === 'string') throw new Error(topicOnly);
    const t = new ZoneTable(topicOnly);
    expect(timeVia({}, 'linux.auth', t)).toBe('2026-11-26T03:41:17.000Z');
    expect(timeVia({}, 'linux.syslog', t)).toBe('2026-11-26T09:11:17.000Z');
    expect(timeVia({}, 'linux.syslog', t, 'Europe/Berlin')).toBe('2026-11-26T08:11:17.000Z');
  });
  it('globs are anchored and case-insensitive', () => {
    expect(zones.forHost('WEB01')).toBe('Europe/Berlin');
    expect(zones.forHost('db01')).toBe('America/New_York');
    expect(zones.forHost('db001')).toBeUndefined();
    expect(zones.forHost('xweb01')).toBeUndefined();
  });
  it('bad rules are refused with the reason', () => {
    expect(parseZoneRules('host:web*=Mars/Base')).toMatch(/not an IANA/);
    expect(parseZoneRules('web*=Europe/Berlin')).toMatch(/not topic:NAME=ZONE/);
  });
});
