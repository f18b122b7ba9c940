import { describe, expect, it } from 'vitest';
import { wazuhParser } from '../../../src/parse/parsers/wazuh';
import { context, events, fixture, reasonOf } from './evidence-fixtures';

const one = (name: string) => {
  const list = events(wazuhParser, fixture('wazuh', name), context({ host: 'fallback' }));
  expect(list).toHaveLength(1);
  return list[0]!;
};

describe('Wazuh syscheck alerts (published in the Wazuh documentation)', () => {
  it('Wazuh 3.x: octal st_mode perm, -0800 timestamp, who-data under the misspelt audit.proccess', () => {
    expect(one('who-linux-2018-hosts-allow.json')).toMatchObject({
      '@timestamp': '2018-07-10T22:05:28.452Z',
      'host.name': 'vpc-agent-debian',
      'event.dataset': 'file_integrity',
      'event.type': ['change'],
      'event.action': ['updated'],
      'file.path': '/etc/hosts.allow',
      'file.type': 'file',
      'file.mode': '0644',
      'file.setuid': false,
      'file.size': 433,
      'tuxwatch.file.previous.size': 421,
      'file.mtime': '2018-07-10T22:05:28.000Z',
      'tuxwatch.file.previous.mtime': '2018-07-10T22:04:25.000Z',
      'file.hash.sha256': 'bfa1c0ec3ebfaac71378cb62101135577521eb200c64d6ee8650efe75160978c',
      'tuxwatch.file.changed': ['size', 'mtime', 'content'],
      'process.name': 'nano',
      'process.executable': '/bin/nano',
      'process.pid': 82845,
      'wazuh.syscheck.audit.login_user.name': 'smith',
      'wazuh.rule.id': '550',
    });
  });

  it('offset-less mtimes are read in the alert offset: 11:54:54 at -0500 is the 16:54:54Z of full_log', () => {
    const e = one('indexer-hit-2025-hosts-allow-minus0500.json');
    expect(e).toMatchObject({
      '@timestamp': '2025-12-15T16:54:54.192Z',
      'file.mtime': '2025-12-15T16:54:54.000Z',
      'tuxwatch.file.previous.mtime': '2025-12-15T16:53:17.000Z',
      'host.name': 'CentOS_Stream_10',
      'tuxwatch.file.changed': ['size', 'mtime', 'content'],
      'user.name': 'root',
      'wazuh.manager.name': 'ubuntu-VMware-Virtual-Platform',
    });
    // 1765817694 is the epoch Wazuh itself put in full_log
    expect(Date.parse(String(e['file.mtime'])) / 1000).toBe(1765817694);
    expect(e['event.timezone']).toBeUndefined();
    expect(e['rule.id']).toBeUndefined();
  });

  it('symbolic perm without a type letter, inode change found without changed_attributes', () => {
    expect(one('getting-started-2020-etc-hosts.json')).toMatchObject({
      'file.mode': '0644',
      'file.inode': '198194',
      'tuxwatch.file.previous.inode': '55652',
      'tuxwatch.file.changed': ['size', 'inode', 'mtime', 'content'],
      'host.name': 'RHEL7',
    });
  });

  it('eBPF who-data: process given by name only', () => {
    const e = one('indexer-hit-2025-sshd-config-ebpf.json');
    expect(e).toMatchObject({
      'process.name': 'bash',
      'process.pid': 66474,
      'file.path': '/etc/ssh/sshd_config',
    });
    expect(e['process.executable']).toBeUndefined();
  });

  it('added, deleted and a setuid perm change (fields as Wazuh names them)', () => {
    const alert = JSON.parse(fixture('wazuh', 'getting-started-2020-etc-hosts.json')) as {
      syscheck: Record<string, unknown>;
    };
    const withSyscheck = (patch: Record<string, unknown>) =>
      JSON.stringify({ ...alert, syscheck: { ...alert.syscheck, ...patch } });
    const [added] = events(wazuhParser, withSyscheck({ event: 'added' }));
    expect(added).toMatchObject({ 'event.type': ['creation'], 'event.action': ['created'] });
    expect(added!['tuxwatch.file.changed']).toBeUndefined();
    const [deleted] = events(wazuhParser, withSyscheck({ event: 'deleted' }));
    expect(deleted).toMatchObject({ 'event.type': ['deletion'], 'event.action': ['deleted'] });
    const [chmod] = events(
      wazuhParser,
      withSyscheck({ perm_before: 'rwxr-xr-x', perm_after: 'rwsr-xr-x', changed_attributes: ['permission'] }),
    );
    expect(chmod).toMatchObject({
      'event.action': ['attributes_modified'],
      'file.mode': '4755',
      'file.setuid': true,
      'tuxwatch.file.previous.mode': '0755',
      'tuxwatch.file.changed': ['mode'],
    });
  });

  it('epoch mtimes and offset-less alert timestamps', () => {
    const alert = JSON.parse(fixture('wazuh', 'getting-started-2020-etc-hosts.json')) as Record<
      string,
      unknown
    > & {
      syscheck: Record<string, unknown>;
    };
    const text = JSON.stringify({
      ...alert,
      timestamp: '2020-07-12T20:07:57.676',
      syscheck: { ...alert.syscheck, mtime_after: 1594577277 },
    });
    const [e] = events(wazuhParser, text, context({ timezone: 'Europe/Berlin' }));
    expect(e).toMatchObject({
      '@timestamp': '2020-07-12T18:07:57.676Z',
      'event.timezone': 'Europe/Berlin',
      'file.mtime': '2020-07-12T18:07:57.000Z',
      // no offset anywhere: the offset-less mtime is read in the source zone too
      'tuxwatch.file.previous.mtime': '2020-07-12T16:00:55.000Z',
    });
  });

  it('rejects alerts without syscheck.path or timestamp', () => {
    const alert = JSON.parse(fixture('wazuh', 'getting-started-2020-etc-hosts.json')) as Record<
      string,
      unknown
    >;
    expect(reasonOf(wazuhParser, JSON.stringify({ ...alert, timestamp: undefined }))).toMatch(/timestamp/);
    expect(reasonOf(wazuhParser, JSON.stringify({ ...alert, syscheck: { event: 'added' } }))).toMatch(/path/);
    expect(reasonOf(wazuhParser, '{"syscheck": [1]}')).toMatch(/syscheck/);
  });
});
