import { describe, expect, it } from 'vitest';
import { auditbeatParser } from '../../../src/parse/parsers/auditbeat';
import { context, events, fixture, reasonOf } from './evidence-fixtures';

describe('Auditbeat file_integrity events (published Elastic samples)', () => {
  it('the FIM integration sample: created, kept whole, normalised', () => {
    const [e, ...rest] = events(auditbeatParser, fixture('auditbeat', 'fim-sample-event-created.json'));
    expect(rest).toHaveLength(0);
    expect(e).toMatchObject({
      '@timestamp': '2022-12-26T05:20:54.547Z',
      'event.module': 'auditbeat',
      'tuxwatch.source_module': 'file_integrity',
      'event.dataset': 'file_integrity',
      'event.action': ['created'],
      'event.type': ['creation'],
      'event.category': ['file'],
      'file.path': '/tmp/service_logs/hello',
      'file.name': 'hello',
      'file.directory': '/tmp/service_logs',
      'file.mode': '0644',
      'file.setuid': false,
      'file.setgid': false,
      'file.uid': '1000',
      'file.owner': 'elastic-agent',
      'file.hash.sha1': '22596363b3de40b06f981fb85d82312e8c0ed511',
      'file.mtime': '2022-12-26T05:20:54.531Z',
      'host.name': 'docker-fleet-agent',
      'host.os.kernel': '5.10.104-linuxkit',
    });
    expect(e!['event.original']).toBe(fixture('auditbeat', 'fim-sample-event-created.json'));
  });

  it('attributes_modified stays a change', () => {
    const [e] = events(auditbeatParser, fixture('auditbeat', 'fim-readme-attributes-modified.json'));
    expect(e).toMatchObject({
      'event.action': ['attributes_modified'],
      'event.type': ['change'],
      'file.inode': '56198717',
    });
  });

  it('Auditbeat 6: beat.hostname, numeric uid, top-level hash, event.type derived from the actions', () => {
    const [e] = events(
      auditbeatParser,
      fixture('auditbeat', 'beats-meta-data.json'),
      context({ host: undefined }),
    );
    expect(e).toMatchObject({
      'host.name': 'host.example.com',
      'file.uid': '501',
      'file.gid': '20',
      'file.mode': '0600',
      'file.hash.sha1': '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed',
      'event.action': ['created', 'updated'],
      'event.type': ['creation', 'change'],
      'file.ctime': '2018-01-05T03:28:26.000Z',
    });
  });

  it("setuid/setgid booleans fold into file.mode (Auditbeat's event.go writes them beside 0755)", () => {
    const doc = JSON.parse(fixture('auditbeat', 'fim-sample-event-created.json')) as {
      file: Record<string, unknown>;
    };
    doc.file['mode'] = '0755';
    doc.file['setuid'] = true;
    const [e] = events(auditbeatParser, JSON.stringify(doc));
    expect(e).toMatchObject({ 'file.mode': '4755', 'file.setuid': true, 'file.setgid': false });
  });

  it('rejects documents without @timestamp or file.path', () => {
    const doc = JSON.parse(fixture('auditbeat', 'fim-sample-event-created.json')) as Record<string, unknown>;
    expect(reasonOf(auditbeatParser, JSON.stringify({ ...doc, '@timestamp': 'soon' }))).toMatch(/@timestamp/);
    expect(reasonOf(auditbeatParser, JSON.stringify({ ...doc, file: {} }))).toMatch(/file\.path/);
  });
});
