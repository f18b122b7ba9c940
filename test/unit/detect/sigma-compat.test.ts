import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../../src/domain/rule';
import type { CompiledRule } from '../../../src/detect/compiled-rule';
import { DetectionEngine, loadRuleSet, type RuleSet } from '../../../src/detect/engine';
import { event } from './helpers';

/** SigmaHQ's Linux rules, read-only, beside the repository (CI places shared/ the same way). */
const SIGMA_LINUX = path.resolve(__dirname, '../../../../shared/sigma-linux/rules');

const dirOf = (r: CompiledRule): string => path.relative(SIGMA_LINUX, path.dirname(r.meta.file));
const topDir = (r: CompiledRule): string => dirOf(r).split(path.sep)[1] ?? '';

describe('SigmaHQ Linux rules', () => {
  let set: RuleSet;
  let engine: DetectionEngine;
  beforeAll(async () => {
    set = await loadRuleSet([SIGMA_LINUX]);
    engine = new DetectionEngine(set.rules);
  });

  it('all 210 load without an error', () => {
    const errors = set.problems.filter((p) => p.severity === 'error').map(formatProblem);
    expect(errors).toEqual([]);
    expect(set.rules.length + set.inactive.length).toBe(210);
  });

  it('every auditd rule loads active, on the per-record audit events', () => {
    const auditd = set.rules.filter((r) => topDir(r) === 'auditd');
    expect(auditd).toHaveLength(53);
    for (const r of auditd) expect(r.datasets, r.meta.id).toEqual(['auditd']);
    expect(set.inactive).toHaveLength(0);
  });

  it('builtin, file_event, network_connection, process_creation and auditd rules are active', () => {
    const counts: Record<string, number> = {};
    for (const r of set.rules) counts[topDir(r)] = (counts[topDir(r)] ?? 0) + 1;
    expect(counts).toEqual({
      auditd: 53,
      builtin: 22,
      file_event: 8,
      network_connection: 5,
      process_creation: 122,
    });
    const datasets = (dir: string): string[] => [
      ...new Set(set.rules.filter((r) => topDir(r) === dir).flatMap((r) => r.datasets)),
    ];
    expect(datasets('builtin').sort()).toEqual(['auth', 'syslog']);
    expect(datasets('file_event')).toEqual(['file_integrity']);
    expect(datasets('network_connection')).toEqual(['socket']);
    expect(datasets('process_creation')).toEqual(['process']);
  });

  const useradd = (line: string) =>
    event({
      '@timestamp': '2026-11-26T08:11:17.000Z',
      'event.original': `Nov 26 09:11:17 web01 useradd[207]: ${line}`,
      message: line,
      'event.module': 'syslog',
      'event.dataset': 'auth',
      'process.name': 'useradd',
      'host.name': 'web01',
    });

  it('lnx_privileged_user_creation fires on a UID 0 account, not on an ordinary one', () => {
    const root = useradd('new user: name=toor, UID=0, GID=0, home=/root, shell=/bin/bash, from=none');
    const alice = useradd(
      'new user: name=alice, UID=1001, GID=1001, home=/home/alice, shell=/bin/bash, from=none',
    );
    const rule = set.rules.find((r) => r.meta.id === 'lnx_privileged_user_creation')!;
    expect(rule.match(root)).toBe(true);
    expect(rule.match(alice)).toBe(false);
    expect(engine.evaluate(root).map((d) => d.rule.id)).toEqual(['lnx_privileged_user_creation']);
    expect(engine.evaluate(alice)).toEqual([]);
    const d = engine.evaluate(root)[0]!;
    expect(d.event).toBe(root);
    expect(d.rule).toMatchObject({
      uuid: '0ac15ec3-d24f-4246-aa2a-3077bb1cf90e',
      title: 'Privileged User Has Been Created',
      level: 'high',
    });
  });

  it('the sudoers.d rule fires on a file-integrity event', () => {
    const e = event({
      'event.dataset': 'file_integrity',
      'event.module': 'aide',
      'event.category': ['file'],
      'event.type': ['creation'],
      'file.path': '/etc/sudoers.d/99-svc-backup',
      'host.name': 'web01',
    });
    expect(engine.evaluate(e).map((d) => d.rule.id)).toContain('file_event_lnx_persistence_sudoers_files');
    const dpkg = {
      ...e,
      'file.path': '/etc/sudoers.d/README.dpkg-new',
      'process.executable': '/usr/bin/dpkg',
    };
    expect(engine.evaluate(dpkg).map((d) => d.rule.id)).not.toContain(
      'file_event_lnx_persistence_sudoers_files',
    );
  });

  it('service rules see only their program', () => {
    const line = (program: string, message: string) =>
      event({ 'event.dataset': 'syslog', 'process.name': program, message, 'event.original': message });
    const ids = (e: ReturnType<typeof line>) => engine.evaluate(e).map((d) => d.rule.id);
    expect(ids(line('sshd', 'error: Corrupted MAC on input.'))).toContain('lnx_sshd_susp_ssh');
    expect(ids(line('sudo', 'error: Corrupted MAC on input.'))).not.toContain('lnx_sshd_susp_ssh');
    expect(ids(line('CRON', 'root: REPLACE (root)'))).toContain('lnx_cron_crontab_file_modification');
    expect(ids(line('clamd', '/tmp/x: Unix.Trojan.Agent FOUND'))).toContain('lnx_clamav_relevant_message');
    expect(ids(line('freshclam', '/tmp/x: Unix.Trojan.Agent FOUND'))).toContain(
      'lnx_clamav_relevant_message',
    );
    expect(ids(line('guacd', 'User "x" joined connection "y" (2 users now present)'))).toContain(
      'lnx_guacamole_susp_guacamole',
    );
  });

  it('network_connection rules see connected sockets', () => {
    const e = event({
      'event.dataset': 'socket',
      'event.action': 'socket-connected',
      'destination.ip': '203.0.113.9',
      'destination.port': 4444,
      'process.name': 'bash',
    });
    expect(engine.evaluate(e).map((d) => d.rule.id)).toContain(
      'net_connection_lnx_susp_malware_callback_port',
    );
    expect(engine.evaluate({ ...e, 'destination.ip': '10.1.2.3' })).toEqual([]);
    expect(engine.evaluate({ ...e, 'event.action': 'socket-listening' })).toEqual([]);
  });

  it('process_creation rules run over process starts and snapshots, never process ends', () => {
    const e = event({
      'event.dataset': 'process',
      'event.type': ['info'],
      'process.executable': '/usr/bin/base64',
      'process.command_line': 'base64 -d /tmp/payload',
      'process.name': 'base64',
    });
    expect(engine.evaluate(e).map((d) => d.rule.id)).toContain('proc_creation_lnx_base64_decode');
    const start = { ...e, 'event.type': ['start'] };
    expect(engine.evaluate(start).map((d) => d.rule.id)).toContain('proc_creation_lnx_base64_decode');
    expect(engine.evaluate({ ...e, 'event.type': ['end'] })).toEqual([]);
    const rule = set.rules.find((r) => r.meta.id === 'proc_creation_lnx_base64_decode')!;
    expect(rule.coverage).toMatch(/process starts .* and process snapshots/);
  });
});
