import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, tuxwatch } from '../../support/cli';
import { AUDIT_FIXTURES, eventLines, kernelLog, web02Audit } from '../parse/audit-evidence';

interface AlertDoc {
  '@timestamp': string;
  rule: { id: string };
  host: { name: string };
  user?: { target?: { name?: string } };
  file?: { path?: string; mode?: string };
}

/** What `tuxwatch scan` says, end to end, about a file of audit lines written here from real ones. */
function scan(lines: readonly string[], ...options: string[]) {
  const file = join(mkdtempSync(join(tmpdir(), 'tuxwatch-audit-forms-')), 'audit.log');
  writeFileSync(file, lines.join('\n') + '\n');
  const run = tuxwatch(['scan', '--suppress-window', '0', ...options, file]);
  expect(run.status, run.stderr).toBe(0);
  expect(run.stderr).toMatch(/ 0 dead letter\(s\)/);
  return ndjson<AlertDoc>(run.stdout);
}

const summary = (alerts: readonly AlertDoc[]) =>
  alerts.map((a) => `${a['@timestamp']} ${a.rule.id} ${a.host.name} ${a.file?.path ?? a.user?.target?.name}`);

/** web02's chmod 4755 of .rootsh: SYSCALL (fchmodat, mode 9ed), CWD, PATH, PROCTITLE. */
const chmodRootsh = (): string[] => {
  const log = web02Audit();
  const syscall = log.find(
    (l) => l.includes('syscall=268') && l.includes('a2=9ed') && l.includes('comm="chmod"'),
  )!;
  return eventLines(log, /audit\(([^)]+)\)/.exec(syscall)![1]!);
};
const ROOTSH_SUID = '2026-11-27T15:12:35.522Z suid-sgid-creation web02 /usr/local/bin/.rootsh';

// each case runs the built CLI: seconds on a loaded machine
describe('audit records in the forms issue 9 lists, through scan', { timeout: 60_000 }, () => {
  it('an event cut off by the end of the input (no PROCTITLE, no EOE, no later record) is still reported', () => {
    const cut = chmodRootsh().filter((l) => !l.includes('type=PROCTITLE'));
    expect(cut.map((l) => /type=(\S+)/.exec(l)![1])).toEqual(['SYSCALL', 'CWD', 'PATH']);
    // after the 2,000 records before it, and alone
    const log = web02Audit();
    const at = log.indexOf(chmodRootsh()[0]!);
    const before = log.slice(at - 2000, at);
    expect(summary(scan([...before, ...cut])).filter((s) => s.includes('suid-sgid'))).toEqual([ROOTSH_SUID]);
    expect(summary(scan(cut))).toEqual([ROOTSH_SUID]);
    // and from a pipe
    const piped = tuxwatch(['scan', '--suppress-window', '0', '-'], cut.join('\n') + '\n');
    expect(piped.status, piped.stderr).toBe(0);
    expect(summary(ndjson<AlertDoc>(piped.stdout))).toEqual([ROOTSH_SUID]);
  });

  it('interleaved serials: the event is the same whichever of its records come between another’s', () => {
    const [syscall, cwd, path, title] = chmodRootsh();
    const log = web02Audit();
    // the next event of the log, an exec, written between the chmod's own records
    const next = log[log.indexOf(title!) + 1]!;
    const other = eventLines(log, /audit\(([^)]+)\)/.exec(next)![1]!);
    expect(
      summary(scan([syscall!, other[0]!, cwd!, ...other.slice(1, 3), path!, ...other.slice(3), title!])),
    ).toEqual([ROOTSH_SUID]);
  });

  it('without node= (auditd name_format=none, or a record from another project): the host is --host', () => {
    // auditd writes the `node=NAME ` prefix only when name_format is set; without it the line starts at type=
    const bare = chmodRootsh().map((l) => l.replace(/^node=web02 /, ''));
    expect(bare[0]).toMatch(/^type=SYSCALL msg=audit\(/);
    expect(summary(scan(bare, '--host', 'files01'))).toEqual([ROOTSH_SUID.replace('web02', 'files01')]);
    // go-libaudit's aarch64 linkat record, verbatim (no node=): an event of that host
    const run = tuxwatch([
      'scan',
      '--emit',
      'events',
      '--host',
      'arm01',
      resolve(AUDIT_FIXTURES, 'upstream', 'go-libaudit-aarch64-linkat.log'),
    ]);
    expect(run.status, run.stderr).toBe(0);
    const events = ndjson<{ host: { name: string }; '@timestamp': string }>(run.stdout);
    expect(events.map((e) => [e.host.name, e['@timestamp']])).toEqual([
      ['arm01', '2025-03-14T20:13:15.885Z'],
    ]);
  });

  it.each([
    ['kern.log', 'vm'],
    ['kern-iso8601.log', 'vm'],
    ['dmesg.txt', 'kern01'],
  ] as const)(
    'kernel `audit:` lines (kern01/%s, no auditd running) raise the same checks; host from the syslog header, else --host',
    (file, host) => {
      // dmesg's other kernel messages are no record of any input kind (dead letters): its audit lines only
      const lines = kernelLog(file).filter((l) => file !== 'dmesg.txt' || l.includes(' audit('));
      const alerts = scan(lines, '--host', 'kern01');
      expect(summary(alerts)).toEqual([
        `2026-11-27T17:47:10.387Z new-uid0-account ${host} kroot`,
        `2026-11-27T17:47:16.543Z suid-sgid-creation ${host} /tmp/kgen.mNwg/tool`,
      ]);
      expect(alerts[1]!.file?.mode).toBe('4644');
    },
  );
});
