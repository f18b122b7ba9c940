import { describe, expect, it } from 'vitest';
import { ecsParser } from '../../../src/parse/parsers/ecs';
import { context, events, fixture, reasonOf } from './evidence-fixtures';

describe('already-ECS JSON', () => {
  it('ecs-logging MVP: dotted keys kept, module ecs, dataset syslog when no category', () => {
    const [e] = events(ecsParser, fixture('ecs', 'ecs-logging-spec-mvp.json'), context({ host: undefined }));
    expect(e).toMatchObject({
      '@timestamp': '2016-05-23T08:05:34.853Z',
      'log.level': 'NOTICE',
      'ecs.version': '1.4.0',
      message: 'Hi, I am the spec for the ECS logging libraries.',
      'event.module': 'ecs',
      'event.dataset': 'syslog',
      'host.name': 'unknown',
    });
  });

  it('dotted and nested keys flatten to one namespace; an existing dataset stays', () => {
    const [e] = events(ecsParser, fixture('ecs', 'ecs-logging-spec-richer.json'));
    expect(e).toMatchObject({
      'log.logger': 'MyLogger',
      'log.origin.file.line': 42,
      'trace.id': '4bf92f3577b34da6a3ce929d0e0e4736',
      tags: ['production', 'env001'],
      'event.dataset': 'opbeans.log',
    });
  });

  it('nested ECS with its own event.original and host', () => {
    const text = fixture('ecs', 'integrations-system-auth-sample-event.json');
    const [e] = events(ecsParser, text);
    expect(e).toMatchObject({
      'host.name': 'elastic-agent-99126',
      'log.syslog.appname': 'systemd',
      'event.dataset': 'system.auth',
      'event.original': text,
      'tuxwatch.ecs.event_original':
        '<30>1 2023-09-28T12:10:12.175599+02:00 test.lab.com systemd 153589 - - Stopped target Default.',
    });
  });

  it('dataset from event.category; offsets normalised to UTC; epoch millis accepted', () => {
    const doc = (extra: Record<string, unknown>) =>
      JSON.stringify({ '@timestamp': '2026-11-26T09:11:19+01:00', ecs: { version: '8.11.0' }, ...extra });
    expect(events(ecsParser, doc({ event: { category: ['file'] } }))[0]).toMatchObject({
      '@timestamp': '2026-11-26T08:11:19.000Z',
      'event.dataset': 'file_integrity',
    });
    expect(events(ecsParser, doc({ 'event.category': 'network' }))[0]!['event.dataset']).toBe('socket');
    expect(events(ecsParser, doc({ event: { category: ['iam'], kind: 'alert' } }))[0]).toMatchObject({
      'event.dataset': 'auth',
      'event.kind': 'event',
      'tuxwatch.ecs.event_kind': 'alert',
    });
    expect(events(ecsParser, doc({ event: { category: 'process', module: 'endpoint' } }))[0]).toMatchObject({
      'event.dataset': 'process',
      'event.module': 'endpoint',
    });
    // a document's own zone: its time carries an offset, so it was not read in a zone
    const own = events(ecsParser, doc({ event: { timezone: '+01:00' } }))[0]!;
    expect(own['event.timezone']).toBeUndefined();
    expect(own['tuxwatch.ecs.event_timezone']).toBe('+01:00');
    const local = events(ecsParser, JSON.stringify({ '@timestamp': '2026-11-26T09:11:19', ecs: {} }))[0];
    expect(local).toMatchObject({
      '@timestamp': '2026-11-26T08:11:19.000Z',
      'event.timezone': 'Europe/Berlin',
    });
    expect(
      events(ecsParser, JSON.stringify({ '@timestamp': 1764144679000, ecs: {} }))[0]!['@timestamp'],
    ).toBe('2025-11-26T08:11:19.000Z');
    // epoch millis whose year has four digits, and no others: toISOString writes `+010000-…` past them
    const at = (ms: number) => JSON.stringify({ '@timestamp': ms, ecs: {} });
    expect(events(ecsParser, at(253402300799999))[0]!['@timestamp']).toBe('9999-12-31T23:59:59.999Z');
    expect(events(ecsParser, at(-62167219200000))[0]!['@timestamp']).toBe('0000-01-01T00:00:00.000Z');
    expect(reasonOf(ecsParser, at(253402300800000))).toMatch(/@timestamp/);
    expect(reasonOf(ecsParser, at(-62167219200001))).toMatch(/@timestamp/);
  });

  it('rejects the published-but-invalid error example, and documents without @timestamp', () => {
    expect(reasonOf(ecsParser, fixture('ecs', 'ecs-logging-spec-error-published-invalid.json'))).toMatch(
      /malformed JSON/,
    );
    expect(reasonOf(ecsParser, '{"ecs":{"version":"8"},"@timestamp":"later"}')).toMatch(/@timestamp/);
    expect(
      reasonOf(ecsParser, '{"ecs":{"version":"8"},"constructor":{"prototype":{}},"@timestamp":1}'),
    ).toMatch(/forbidden key/);
  });
});
