/* eslint-disable no-control-regex -- these tests look for terminal control characters */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tuxwatch } from '../../support/cli';
import { corpusLines, corpusPath } from '../../support/corpus';

/** Bytes a log line must never get to the responder's terminal: CSI, OSC, CR, NUL, BEL. */
const CLEAR = '\u001b[2J';
const TITLE = '\u001b]0;pwned\u0007';
const HOSTILE = [CLEAR, TITLE, '\r', '\u0000'];
const plant = (text: string) => `${CLEAR}${text.slice(0, 2)}\r${TITLE}\u0000${text.slice(2)}`;

/**
 * Real records of three evidence formats, with hostile bytes planted where an attacker controls the text:
 * - a user name, in rsyslog's jsonmesg JSON (web01's useradd of toor): a UID 0 account;
 * - a path, in AIDE 0.18's JSON report (web01's report): an authorized_keys change;
 * - a command line, in osquery's results log (a process_events row, shaped as osquery's documentation
 *   shows it) for the pid that a listening_ports row (Panther's sample) shows on 4444: a suspicious listener
 *   whose alert carries the command line from the process event.
 */
function hostileEvidence(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-hostile-table-'));
  const useradd = corpusLines('web01', 'all-rsyslog.jsonl').find((l) => l.includes('name=toor'))!;
  const record = JSON.parse(useradd) as Record<string, string>;
  for (const key of ['msg', 'rawmsg'])
    record[key] = record[key]!.replace('name=toor', `name=${plant('toor')}`);
  writeFileSync(join(dir, 'rsyslog.jsonl'), JSON.stringify(record) + '\n');

  const aide = readFileSync(corpusPath('web01', 'aide-report.json'), 'utf8');
  const path = '/root/.ssh/authorized_keys';
  writeFileSync(join(dir, 'aide.json'), aide.split(JSON.stringify(path)).join(JSON.stringify(plant(path))));

  const at = 1_795_680_677; // 2026-11-26T08:11:17Z
  const exec = {
    action: 'added',
    columns: { uid: '0', time: String(at), pid: '4444', path: '/usr/bin/nc', cmdline: plant('nc -lk 4444') },
    unixTime: at,
    hostIdentifier: 'web01',
    name: 'process_events',
    numerics: false,
  };
  const listen = {
    name: 'pack/incident-response/listening_ports',
    hostIdentifier: 'web01',
    unixTime: String(at),
    columns: { address: '0.0.0.0', family: '2', fd: '3', path: '', pid: '4444', port: '4444', protocol: '6' },
    action: 'added',
  };
  writeFileSync(join(dir, 'osquery.log'), `${JSON.stringify(exec)}\n${JSON.stringify(listen)}\n`);
  return dir;
}

describe('the terminal table escapes attacker text', () => {
  const dir = hostileEvidence();

  it.each([
    ['plain', {}],
    ['coloured', { FORCE_COLOR: '1' }],
  ])('%s: a user name, a path and a command line show their bytes escaped, never raw', (_, env) => {
    const run = tuxwatch(['scan', '--host', 'web01', '--format', 'table', dir], undefined, env);
    expect(run.status, run.stderr).toBe(0);
    // the findings are there, escaped: the test would pass vacuously on an empty table
    const escaped = (a: string, b: string) => `\\x1b[2J${a}\\r\\x1b]0;pwned\\x07\\x00${b}`;
    const row = (rule: string) =>
      run.stdout.split('\n').find((l) => l.includes(rule) && l.includes('pwned')) ?? '';
    expect(row('new-uid0-account')).toContain(`target="${escaped('to', 'or')}"`);
    expect(row('authorized-keys-change')).toContain(`path="${escaped('/r', 'oot/.ssh/authorized_keys')}"`);
    expect(row('suspicious-listener')).toContain(`cmd="${escaped('nc', ' -lk 4444')}"`);
    // what is left once the table's own colours are taken out holds no control character at all
    const text = run.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    for (const bad of HOSTILE) expect(text).not.toContain(bad);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(run.stderr).not.toMatch(/\u001b\]|\r|\u0000/);
  });
});
