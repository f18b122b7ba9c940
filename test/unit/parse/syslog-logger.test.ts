import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import { parseRecord } from '../../../src/parse/parse-record';
import { corpusLines } from '../../support/corpus';

const LOGGER = readFileSync(resolve(__dirname, '..', '..', 'fixtures', 'syslog', 'logger-udp.log'), 'utf8')
  .trim()
  .split('\n');

function one(text: string, timezone: string, kind = 'syslog'): SiemEvent {
  const r = parseRecord(
    { text, origin: { type: 'file', path: 'x', line: 1 } },
    { timezone, maxRecordBytes: 1 << 20 },
    new Date('2026-11-26T10:00:00Z'),
  );
  if (!r.ok) throw new Error(r.reason);
  expect(r.kind).toBe(kind);
  expect(r.events).toHaveLength(1);
  return r.events[0]!;
}

describe('util-linux logger datagrams', () => {
  it('RFC 5424 with structured data and +05:30: the offset wins over the configured zone', () => {
    const e = one(LOGGER[0]!, 'America/Chicago');
    expect(e).toMatchObject({
      '@timestamp': '2026-11-26T09:56:19.634Z',
      'host.name': 'vm',
      'process.name': 'sshd',
      'log.syslog.facility.name': 'auth',
      'log.syslog.severity.name': 'info',
      'event.action': 'ssh-login',
      'user.name': 'root',
      'source.ip': '203.0.113.9',
      message: 'Accepted publickey for root from 203.0.113.9 port 40022 ssh2',
    });
    expect(e['event.timezone']).toBeUndefined();
    expect(JSON.parse(String(e['log.syslog.structured_data']))).toEqual({
      timeQuality: { tzKnown: '1', isSynced: '0' },
      'zoo@32473': { tiger: 'hungry' },
      origin: { software: 'tuxwatch-fixture' },
    });
  });

  it('RFC 3164 with PRI and local time: read in the configured zone (Asia/Kolkata, +05:30)', () => {
    expect(one(LOGGER[1]!, 'Asia/Kolkata')).toMatchObject({
      '@timestamp': '2026-11-26T09:56:19.000Z',
      'event.timezone': 'Asia/Kolkata',
      'log.syslog.facility.name': 'authpriv',
      'event.action': 'user-created',
      'user.target.name': 'toor',
      'user.target.id': '0',
    });
  });

  it('RFC 5424 with -05:00', () => {
    expect(one(LOGGER[2]!, 'UTC')).toMatchObject({
      '@timestamp': '2026-11-26T09:56:19.640Z',
      'event.action': 'user-uid-changed',
      'user.target.name': 'tmpadmin',
    });
  });
});

describe("rsyslog's raw messages (PRI, no HOSTNAME) read as syslog lines agree with its JSON", () => {
  it('every auth rawmsg of web01 all-rsyslog.jsonl: same UTC second, program and message', () => {
    // Only auth/authpriv: exim stamps its own syslog() calls in UTC whatever the host's zone (the raw
    // `<18>Nov 26 08:11:17 exim[275]` is 09:11:17 Berlin time in rsyslog's timereported), which is why the
    // JSON's timereported, not the raw line, is what tuxwatch reads from rsyslog JSON.
    const records = corpusLines('web01', 'all-rsyslog.jsonl')
      .map((l) => JSON.parse(l) as { rawmsg: string; msg: string; syslogfacility: string })
      .filter((r) => r.syslogfacility === '4' || r.syslogfacility === '10');
    expect(records.length).toBe(68);
    for (const { rawmsg } of records) {
      const fromRaw = one(rawmsg, 'Europe/Berlin');
      const fromJson = one(JSON.stringify(records.find((r) => r.rawmsg === rawmsg)), 'UTC', 'rsyslog-json');
      expect(fromRaw['@timestamp'].slice(0, 19), rawmsg).toBe(fromJson['@timestamp'].slice(0, 19));
      expect(fromRaw['process.name']).toBe(fromJson['process.name']);
      expect(fromRaw.message).toBe(fromJson.message);
      expect(fromRaw['host.name']).toBe('unknown');
    }
  });
});
