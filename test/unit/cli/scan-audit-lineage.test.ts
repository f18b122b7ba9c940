import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ndjson, tuxwatch } from '../../support/cli';
import { SIGMA_LINUX } from '../../support/corpus';
import { AUDIT_FIXTURES } from '../parse/audit-evidence';

interface ProcessDoc {
  event: { dataset: string; type?: string[] };
  process: {
    pid: number;
    executable?: string;
    command_line?: string;
    name?: string;
    parent?: { pid?: number; executable?: string; command_line?: string };
  };
}

/** A process_creation rule that can only match with the parent's image: sshd's shell running useradd. */
const SHELL_USERADD = `title: useradd run by a shell
id: 5b1f6a3e-7d0c-4c1e-9a55-0f3e2b8c4d71
status: test
logsource: { product: linux, category: process_creation }
detection:
  sel:
    Image|endswith: /useradd
    ParentImage|endswith: /bash
    ParentCommandLine|contains: useradd
  condition: sel
level: high
`;

/**
 * db03's trail holds an ssh session that ran `bash -c "useradd …; id -u …"` (sshd → bash → useradd) and a bash
 * copied to /tmp/.updater that started /bin/sh (EXTRA=1, test/fixtures/auditd/README.md). Exec records name
 * only the parent's pid; the enrich stage's process lineage names the parent from its own exec.
 */
describe('process_creation rules that need ParentImage fire on a real audit trail', () => {
  let log: string;
  let rules: string;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-lineage-'));
    log = join(dir, 'audit.log');
    writeFileSync(log, gunzipSync(readFileSync(resolve(AUDIT_FIXTURES, 'db03', 'audit.log.gz'))));
    rules = join(dir, 'shell-useradd.yml');
    writeFileSync(rules, SHELL_USERADD);
  });

  it('the exec events name each parent: useradd ← bash -c … ← sshd', { timeout: 60_000 }, () => {
    const run = tuxwatch(['scan', '--emit', 'events', log]);
    expect(run.status, run.stderr).toBe(0);
    const starts = ndjson<ProcessDoc>(run.stdout).filter(
      (e) => e.event.dataset === 'process' && e.event.type?.includes('start'),
    );
    const useradd = starts.find((e) => e.process.command_line === 'useradd -M -s /bin/bash sshmade')!;
    expect(useradd.process.parent).toMatchObject({
      executable: '/usr/bin/bash',
      command_line: 'bash -c useradd -M -s /bin/bash sshmade; id -u sshmade',
    });
    const bash = starts.find((e) => e.process.pid === useradd.process.parent!.pid)!;
    expect(bash.process.parent?.executable).toBe('/usr/sbin/sshd');
  });

  it(
    'a rule on ParentImage and ParentCommandLine, and SigmaHQ’s shell-from-/tmp rule, fire once each',
    { timeout: 60_000 },
    () => {
      const tmpParent = resolve(
        SIGMA_LINUX,
        'linux',
        'process_creation',
        'proc_creation_lnx_susp_shell_child_process_from_parent_tmp_folder.yml',
      );
      const run = tuxwatch(['scan', '--suppress-window', '0', '--rules', rules, '--rules', tmpParent, log]);
      expect(run.status, run.stderr).toBe(0);
      const alerts = ndjson<{ rule: { id: string }; process: { executable: string; pid: number } }>(
        run.stdout,
      );
      expect(alerts.map((a) => [a.rule.id, a.process.executable]).sort()).toEqual([
        ['proc_creation_lnx_susp_shell_child_process_from_parent_tmp_folder', '/usr/bin/dash'],
        ['shell-useradd', '/usr/sbin/useradd'],
      ]);
    },
  );
});
