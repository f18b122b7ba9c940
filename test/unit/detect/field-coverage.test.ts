import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../../src/domain/rule';
import type { FieldSources } from '../../../src/detect/load/field-coverage';
import { compileRuleText } from '../../../src/detect/load/rule-set';
import { ruleYaml } from './helpers';

/** Sources of events for these tests: per source, per dataset, the fields it writes. */
function sources(table: Record<string, Record<string, string[]>>): FieldSources {
  return {
    names: Object.keys(table),
    writes: (source, dataset, field) => table[source]?.[dataset]?.includes(field) ?? false,
  };
}

const BASE = ['event.dataset', 'event.type', 'event.original', 'message'];
const PS_ONLY = sources({ ps: { process: [...BASE, 'process.command_line', 'process.executable'] } });

const PROCESS_CREATION = 'product: linux\n  category: process_creation';

function warnings(detection: string, fields: FieldSources, logsource = PROCESS_CREATION): string[] {
  const set = compileRuleText('rules/r.yml', ruleYaml(detection, logsource), { fields });
  expect(set.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return set.problems.filter((p) => p.severity === 'warning').map(formatProblem);
}

describe('rules validate: rules that need a field no input kind writes', () => {
  it('a rule on fields that are written is silent', () => {
    expect(warnings("  sel:\n    CommandLine|contains: 'curl '\n  condition: sel", PS_ONLY)).toEqual([]);
  });

  it('a rule that needs an unwritten field is named, with the field where the rule writes it', () => {
    expect(
      warnings("  sel:\n    ParentImage|endswith: '/java'\n    Image: /bin/sh\n  condition: sel", PS_ONLY),
    ).toEqual([
      'rules/r.yml:9:5: warning: rule r can never fire: no input kind writes ParentImage (process.parent.executable) into process events',
    ]);
  });

  it('a missing field only in a filter, or in one branch of an or, keeps the rule firing', () => {
    const filtered =
      '  sel:\n    Image: /bin/sh\n  filter:\n    ParentImage: /usr/sbin/cron\n  condition: sel and not filter';
    expect(warnings(filtered, PS_ONLY)).toEqual([]);
    const branches =
      "  a:\n    ParentImage: /usr/bin/java\n  b:\n    CommandLine: 'sh -c id'\n  condition: a or b";
    expect(warnings(branches, PS_ONLY)).toEqual([]);
    expect(warnings('  sel:\n    ParentImage: null\n  condition: sel', PS_ONLY)).toEqual([]);
  });

  it('of several missing fields, the one whose absence alone stops the rule is named', () => {
    const detection =
      '  sel:\n    ParentImage: /usr/bin/java\n  filter:\n    LogonId: 0\n  condition: sel and not filter';
    expect(warnings(detection, PS_ONLY)).toEqual([
      'rules/r.yml:9:5: warning: rule r can never fire: no input kind writes ParentImage (process.parent.executable) into process events',
    ]);
  });

  it('fields written by different input kinds, never together, are one warning at the detection', () => {
    const apart = sources({
      sysmon: { process: [...BASE, 'process.parent.executable'] },
      osquery: { process: [...BASE, 'process.working_directory'] },
    });
    const detection = '  sel:\n    ParentImage: /usr/bin/java\n    CurrentDirectory: /tmp\n  condition: sel';
    expect(warnings(detection, apart)).toEqual([
      'rules/r.yml:8:3: warning: rule r can never fire: no single input kind writes together the fields it needs (ParentImage (process.parent.executable), CurrentDirectory (process.working_directory)) into process events',
    ]);
  });

  it("the logsource's own filter counts: a service rule needs the program name", () => {
    const noProgram = sources({ syslog: { syslog: BASE, auth: BASE } });
    expect(
      warnings("  kw:\n    - 'Accepted'\n  condition: kw", noProgram, 'product: linux\n  service: sshd'),
    ).toEqual([
      'rules/r.yml:5:3: warning: rule r can never fire: its logsource selects syslog events of sshd/sshd-session (process.name), which no input kind writes',
    ]);
  });

  it('inactive rules and rules loaded without sources are not checked', () => {
    expect(
      warnings(
        '  sel:\n    type: EXECVE\n  condition: sel',
        PS_ONLY,
        'product: windows\n  category: process_creation',
      ),
    ).toEqual([]);
    const set = compileRuleText(
      'rules/r.yml',
      ruleYaml('  sel:\n    ParentImage: x\n  condition: sel', PROCESS_CREATION),
    );
    expect(set.problems).toEqual([]);
  });
});
