import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ndjson, tuxwatch } from '../../support/cli';
import { corpusPath, SIGMA_LINUX } from '../../support/corpus';

const AUDITD_RULES = resolve(SIGMA_LINUX, 'linux', 'auditd');

/**
 * An independent reading of audit.log for the count: a record's own `name=value` pairs, values unquoted,
 * an unquoted all-hex argument decoded (the kernel hex-encodes arguments with spaces or quotes). Nothing
 * from src/ is used, so the count does not share tuxwatch's parser.
 */
function records(file: string): { type: string; fields: Map<string, string> }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes(' msg=audit('))
    .map((line) => {
      const type = /type=(\S+)/.exec(line)![1]!;
      const body = line.slice(line.indexOf('): ') + 3);
      const fields = new Map<string, string>();
      for (const m of body.matchAll(/([\w[\]-]+)=("[^"]*"|\S+)/g)) {
        const raw = m[2]!;
        const decoded = raw.startsWith('"')
          ? raw.slice(1, -1)
          : type === 'EXECVE' && /^a\d+$/.test(m[1]!) && /^(?:[0-9A-F]{2})+$/.test(raw)
            ? Buffer.from(raw, 'hex').toString('utf8')
            : raw;
        if (!fields.has(m[1]!)) fields.set(m[1]!, decoded);
      }
      return { type, fields };
    });
}

describe('SigmaHQ auditd rules over web02/audit.log, unchanged', () => {
  let counts: Record<string, number>;
  beforeAll(() => {
    const run = tuxwatch([
      'scan',
      '--suppress-window',
      '0',
      '--rules',
      AUDITD_RULES,
      corpusPath('web02', 'audit.log'),
    ]);
    expect(run.status, run.stderr).toBe(0);
    counts = {};
    for (const a of ndjson<{ rule: { id: string } }>(run.stdout))
      counts[a.rule.id] = (counts[a.rule.id] ?? 0) + 1;
  }, 60_000);

  it('all 53 load, active, with no problem', () => {
    const run = tuxwatch(['rules', 'validate', AUDITD_RULES]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/^53 rules active, 0 inactive, 0 errors$/m);
    expect(run.stdout + run.stderr).not.toMatch(/: (error|warning|note):/);
  });

  const log = () => records(corpusPath('web02', 'audit.log'));
  const execve = () => log().filter((r) => r.type === 'EXECVE');

  it('lnx_auditd_create_account: one per useradd SYSCALL record and per ADD_USER record', () => {
    const expected = log().filter(
      (r) =>
        (r.type === 'SYSCALL' && (r.fields.get('exe') ?? '').toLowerCase().endsWith('/useradd')) ||
        r.type === 'ADD_USER',
    ).length;
    expect(expected).toBe(204);
    expect(counts['lnx_auditd_create_account']).toBe(expected);
  });

  it('lnx_auditd_file_or_folder_permissions: one per EXECVE record of chmod/chown', () => {
    const expected = execve().filter((r) => /chmod|chown/i.test(r.fields.get('a0') ?? '')).length;
    expect(expected).toBeGreaterThan(0);
    expect(counts['lnx_auditd_file_or_folder_permissions']).toBe(expected);
  });

  it('lnx_auditd_hidden_files_directories: needs the hex-decoded arguments ("/var/tmp/. /tools")', () => {
    const hidden = /(^|\/)\.[^./]/;
    const matching = execve().filter(
      (r) =>
        ['mkdir', 'nano', 'touch', 'vi', 'vim'].includes((r.fields.get('a0') ?? '').toLowerCase()) &&
        (hidden.test(r.fields.get('a1') ?? '') || hidden.test(r.fields.get('a2') ?? '')),
    );
    expect(matching.map((r) => r.fields.get('a2'))).toContain('/var/tmp/. /tools');
    expect(counts['lnx_auditd_hidden_files_directories']).toBe(matching.length);
  });
});
