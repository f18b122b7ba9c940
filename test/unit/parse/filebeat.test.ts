import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filebeatParser } from '../../../src/parse/parsers/filebeat';
import { sniffParser } from '../../../src/parse/registry';
import { corpusLines } from '../../support/corpus';
import { context, events, fixture, only } from './evidence-fixtures';

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

/** Published Filebeat output, one document a line (test/fixtures/filebeat/README.md names each source). */
const SSHD_7_12 = fixture('filebeat', 'kangmyounghun-filebeat-7.12.0-sshd-accepted.json').trim();
const MESSAGES_6_8 = lines(fixture('filebeat', 'buji595-filebeat-6.8.1-messages.ndjson'));
const SYSLOG_INPUT_7_3 = fixture('filebeat', 'beats-issue-13268-filebeat-7.3.0-syslog-input.json').trim();

const ALL: ReadonlyArray<readonly [string, string]> = [
  ['7.12.0 log input, sshd Accepted password', SSHD_7_12],
  ...MESSAGES_6_8.map((l, i) => [`6.8.1 /var/log/messages line ${i + 1}`, l] as const),
  ['7.3.0 syslog input, unparseable line', SYSLOG_INPUT_7_3],
];

const withField = (text: string, path: readonly string[], value: unknown): string => {
  const doc = JSON.parse(text) as Record<string, unknown>;
  let node = doc;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
  return JSON.stringify(doc);
};

describe('Filebeat: sniffing real shipped documents', () => {
  for (const [name, text] of ALL) {
    it(`claimed by filebeat, and auto picks filebeat: ${name}`, () => {
      expect(filebeatParser.sniff(text)).toBe(true);
      expect(sniffParser(text)?.kind).toBe('filebeat');
    });
  }

  it("no other kind's fixture (whole file or any line) is claimed by filebeat", () => {
    const root = resolve(__dirname, '..', '..', 'fixtures');
    const claimed: string[] = [];
    for (const kind of readdirSync(root).filter((d) => d !== 'filebeat')) {
      const files = readdirSync(resolve(root, kind)).filter(
        (n) => !/\.(md|sh)$/.test(n) && statSync(resolve(root, kind, n)).isFile(),
      );
      for (const name of files) {
        const text = fixture(kind, name);
        for (const unit of [text, ...lines(text)]) {
          if (filebeatParser.sniff(unit)) claimed.push(`${kind}/${name}: ${unit.slice(0, 60)}`);
        }
      }
    }
    expect(claimed).toEqual([]);
  });

  it('an Elastic Agent document after the ingest pipeline (event.ingested) is not claimed', () => {
    const text = fixture('ecs', 'integrations-system-auth-sample-event.json');
    expect(filebeatParser.sniff(text)).toBe(false);
    // without event.ingested the same document is Filebeat-shaped (agent.type, input.type, log.offset)
    expect(filebeatParser.sniff(text.replace('"ingested"', '"ingested_"'))).toBe(true);
  });

  it('no line of the syslog corpora or the web01 JSON lines is claimed', () => {
    const logs = [
      ['loghub', 'Linux_2k.log'],
      ['loghub', 'OpenSSH_2k.log'],
      ['web01', 'auth.log'],
      ['web01', 'auth-rfc5424.log'],
      ['web01', 'auth-iso8601.log'],
      ['web01', 'all-rsyslog.jsonl'],
      ['web01', 'actions.jsonl'],
      ['web01', 'syslog'],
    ] as const;
    for (const [dir, name] of logs) {
      expect(
        corpusLines(dir, name).filter((l) => filebeatParser.sniff(l)),
        `${dir}/${name}`,
      ).toEqual([]);
    }
  });
});

describe('Filebeat 7.12.0: sshd line from the log input', () => {
  it("time from the line, in the context's zone; host, process and ssh-login semantics from the line", () => {
    const [e, ...rest] = events(filebeatParser, SSHD_7_12, context({ timezone: 'Asia/Seoul' }));
    expect(rest).toHaveLength(0);
    expect(e).toEqual({
      // Jan 9 17:31:21 KST, not Filebeat's read time 2021-04-18T13:17:54.794Z; the year is the read time's
      '@timestamp': '2021-01-09T08:31:21.000Z',
      'event.timezone': 'Asia/Seoul',
      'event.original':
        'Jan  9 17:31:21 Sensor sshd[1854]: Accepted password for root from 192.168.56.1 port 1939 ssh2',
      'event.kind': 'event',
      'event.module': 'filebeat',
      'event.dataset': 'auth',
      'event.category': ['authentication'],
      'event.type': ['start'],
      'event.action': 'ssh-login',
      'event.outcome': 'success',
      'host.name': 'Sensor',
      'process.name': 'sshd',
      'process.pid': 1854,
      'log.syslog.appname': 'sshd',
      'log.syslog.format': 'rfc3164',
      'log.file.path': 'd:\\test.log',
      'user.name': 'root',
      'tuxwatch.auth.method': 'password',
      'source.ip': '192.168.56.1',
      'source.port': 1939,
      message: 'Accepted password for root from 192.168.56.1 port 1939 ssh2',
    });
  });

  it('the default context zone when the record names none', () => {
    const [e] = events(filebeatParser, SSHD_7_12);
    expect(e).toMatchObject({ '@timestamp': '2021-01-09T16:31:21.000Z', 'event.timezone': 'Europe/Berlin' });
  });

  it("an IANA event.timezone (add_locale) beats the context's zone", () => {
    const text = withField(SSHD_7_12, ['event', 'timezone'], 'Asia/Seoul');
    const [e] = events(filebeatParser, text, context({ timezone: 'America/New_York' }));
    expect(e).toMatchObject({ '@timestamp': '2021-01-09T08:31:21.000Z', 'event.timezone': 'Asia/Seoul' });
  });

  it("add_locale's default offset form (+09:00) is no IANA zone: the context's zone is used", () => {
    const text = withField(SSHD_7_12, ['event', 'timezone'], '+09:00');
    const [e] = events(filebeatParser, text);
    expect(e).toMatchObject({ '@timestamp': '2021-01-09T16:31:21.000Z', 'event.timezone': 'Europe/Berlin' });
  });

  it('host.hostname when host.name is absent, and the line hostname still wins for syslog', () => {
    const doc = JSON.parse(SSHD_7_12) as Record<string, unknown>;
    doc['host'] = { hostname: 'mhkang.example' };
    doc['message'] = 'test';
    const [e] = events(filebeatParser, JSON.stringify(doc));
    expect(e!['host.name']).toBe('mhkang.example');
    expect(events(filebeatParser, SSHD_7_12)[0]!['host.name']).toBe('Sensor');
  });
});

describe('Filebeat 6.8.1: /var/log/messages to a file output', () => {
  it('systemd lines without a pid: time from the line in Asia/Shanghai, host from the line', () => {
    const parsed = MESSAGES_6_8.slice(0, 3).map(
      (l) => events(filebeatParser, l, context({ timezone: 'Asia/Shanghai' }))[0]!,
    );
    for (const e of parsed) {
      expect(e).toMatchObject({
        // read at 02:18:10.331Z / 02:18:13.324Z; written at 10:18:10 China time
        '@timestamp': '2019-07-11T02:18:10.000Z',
        'event.timezone': 'Asia/Shanghai',
        'event.module': 'filebeat',
        'event.dataset': 'syslog',
        'host.name': 'node01',
        'process.name': 'systemd',
        'log.syslog.format': 'rfc3164',
        'log.file.path': '/var/log/messages',
      });
      expect(e['process.pid']).toBeUndefined();
      expect(e['event.action']).toBeUndefined();
    }
    expect(parsed.map((e) => e.message)).toEqual([
      'Stopping Filebeat sends log files to Logstash or directly to Elasticsearch....',
      'Started Filebeat sends log files to Logstash or directly to Elasticsearch..',
      'Starting Filebeat sends log files to Logstash or directly to Elasticsearch....',
    ]);
    expect(only(parsed, 'message', parsed[1]!.message)['event.original']).toBe(
      'Jul 11 10:18:10 node01 systemd: Started Filebeat sends log files to Logstash or directly to Elasticsearch..',
    );
  });

  it("the year comes from Filebeat's read time, not from when the evidence is examined", () => {
    // context(): now is 2026-11-26, so the run's own clock would date `Jul 11` to 2026
    const [e] = events(filebeatParser, MESSAGES_6_8[0]!);
    expect(e!['@timestamp']).toBe('2019-07-11T08:18:10.000Z');
    // an explicit year hint still wins
    expect(events(filebeatParser, MESSAGES_6_8[0]!, context({ year: 2020 }))[0]!['@timestamp']).toBe(
      '2020-07-11T08:18:10.000Z',
    );
  });

  it("a line that is not syslog keeps Filebeat's @timestamp, host and file", () => {
    const [e, ...rest] = events(filebeatParser, MESSAGES_6_8[3]!, context({ timezone: 'Asia/Shanghai' }));
    expect(rest).toHaveLength(0);
    expect(e).toEqual({
      '@timestamp': '2019-07-11T02:18:48.328Z',
      'event.original': 'test',
      'event.kind': 'event',
      'event.module': 'filebeat',
      'event.dataset': 'syslog',
      'host.name': 'logstash',
      'log.file.path': '/var/log/messages',
      message: 'test',
    });
  });
});

describe('Filebeat 7.3.0: syslog input', () => {
  it("a line Filebeat could not parse either (space after <PRI>) keeps Filebeat's time and host", () => {
    const [e] = events(filebeatParser, SYSLOG_INPUT_7_3);
    expect(e).toEqual({
      '@timestamp': '2019-08-16T11:40:46.045Z',
      'event.original':
        '<13> Aug 16 12:25:24 10.12.255.2-1 TRAPMGR[53034492]: traputil.c(696) 135956 %% Link Up: g5.',
      'event.kind': 'event',
      'event.module': 'filebeat',
      'event.dataset': 'syslog',
      'host.name': 'test1',
      message: '<13> Aug 16 12:25:24 10.12.255.2-1 TRAPMGR[53034492]: traputil.c(696) 135956 %% Link Up: g5.',
    });
  });
});

describe('Filebeat: rejects', () => {
  it('no string message, or neither a syslog line nor a valid @timestamp', () => {
    const noMessage = filebeatParser.parse(withField(SSHD_7_12, ['message'], 42), context());
    expect(noMessage).toMatchObject({ ok: false, reason: expect.stringMatching(/message/) });
    const noTime = withField(withField(SSHD_7_12, ['message'], 'test'), ['@timestamp'], 'soon');
    expect(filebeatParser.parse(noTime, context())).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/@timestamp/),
    });
  });
});
