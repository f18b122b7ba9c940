import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FieldSources } from '../../../src/detect/load/field-coverage';
import { loadRuleSet, type RuleSet } from '../../../src/detect/load/rule-set';
import { producedFields } from '../../../src/pipeline/produced-fields';
import { SIGMA_LINUX } from '../../support/corpus';

const LINUX = path.join(SIGMA_LINUX, 'linux');

/** Each `can never fire` warning as `dir/file.yml:line:col field`, in file order. */
function neverFire(set: RuleSet): string[] {
  return set.problems
    .filter((p) => p.severity === 'warning' && p.message.includes(' can never fire: '))
    .map((p) => {
      const field = /writes (.+?) into /.exec(p.message)?.[1] ?? p.message;
      return `${path.relative(LINUX, p.file)}:${p.line}:${p.col} ${field}`;
    });
}

const rulesOf = (lines: readonly string[]): Set<string> => new Set(lines.map((l) => l.split(':')[0]!));

describe("SigmaHQ's Linux rules against the fields tuxwatch's input kinds write", () => {
  let fields: FieldSources;
  let set: RuleSet;
  beforeAll(async () => {
    fields = producedFields();
    set = await loadRuleSet([LINUX], { fields });
  });

  it('3 of the 210 active rules can never fire: no Linux source writes a destination host name', () => {
    // the 53 auditd rules among them: the audit records' own fields are written
    expect(set.rules).toHaveLength(210);
    expect(neverFire(set)).toEqual([
      'network_connection/net_connection_lnx_crypto_mining_indicators.yml:17:9 DestinationHostname (destination.domain)',
      'network_connection/net_connection_lnx_domain_localtonet_tunnel.yml:23:9 DestinationHostname (destination.domain)',
      'network_connection/net_connection_lnx_ngrok_tunnel.yml:24:9 DestinationHostname (destination.domain)',
    ]);
    // Sysmon for Linux writes DestinationHostname as "-" (no name lookup), which sets no ECS field
    for (const source of fields.names)
      expect(fields.writes(source, 'socket', 'destination.domain')).toBe(false);
  });

  it('without the process sources (as when the issue was filed) 13 rules could never fire, 10 for want of a parent, cwd or login id', () => {
    const PROCESS_SOURCES = new Set(['sysmon', 'auditd']);
    const carriesSysmon = (source: string, dataset: string, field: string): boolean =>
      ['syslog', 'filebeat', 'rsyslog-json'].includes(source) &&
      (field.startsWith('winlog.') || ['process', 'socket', 'file_integrity'].includes(dataset));
    const before: FieldSources = {
      names: fields.names,
      writes: (source, dataset, field) =>
        !PROCESS_SOURCES.has(source) &&
        !carriesSysmon(source, dataset, field) &&
        !(['auditbeat', 'osquery', 'snapshot'].includes(source) && dataset === 'process') &&
        fields.writes(source, dataset, field),
    };
    return loadRuleSet([LINUX], { fields: before }).then((old) => {
      // the auditd rules were inactive then
      const lines = neverFire(old).filter((l) => !l.startsWith('auditd/'));
      const rules = rulesOf(lines);
      expect(rules.size).toBe(13);
      const processRules = [...rules].filter((r) => r.startsWith('process_creation/'));
      expect(processRules).toHaveLength(10);
      const processFields = new Set(
        lines.filter((l) => l.startsWith('process_creation/')).map((l) => l.split(' ')[1]),
      );
      expect([...processFields].sort()).toEqual([
        'CurrentDirectory',
        'LogonId',
        'ParentCommandLine',
        'ParentImage',
      ]);
    });
  });
});
