import type { MutableEvent } from '../../domain/event';
import { authentication, remoteHost } from '../auth/facts';
import type { AuditRecord } from './audit-line';
import { meaningful, setId, value } from './audit-view';
import { actor } from './account-events';

/**
 * Authentication and session records of PAM and login programs, with Auditbeat's action names for them
 * (its auditd module's vocabulary: `authenticated`, `logged-in`, `started-session`, …). They are kept apart
 * from the auth log's actions (`ssh-login`, `session-opened`) so that a host shipping both is not
 * counted twice by the auth-log correlations (brute force).
 */
const ACTIONS: Readonly<Record<string, { action: string; category: string; type: string[] }>> = {
  USER_AUTH: { action: 'authenticated', category: 'authentication', type: ['info'] },
  USER_ACCT: { action: 'was-authorized', category: 'authentication', type: ['info'] },
  USER_LOGIN: { action: 'logged-in', category: 'authentication', type: ['start'] },
  USER_LOGOUT: { action: 'logged-out', category: 'authentication', type: ['end'] },
  USER_START: { action: 'started-session', category: 'session', type: ['start'] },
  USER_END: { action: 'ended-session', category: 'session', type: ['end'] },
  CRED_ACQ: { action: 'acquired-credentials', category: 'authentication', type: ['info'] },
  CRED_REFR: { action: 'refreshed-credentials', category: 'authentication', type: ['info'] },
  CRED_DISP: { action: 'disposed-credentials', category: 'authentication', type: ['info'] },
  USER_CMD: { action: 'ran-command', category: 'process', type: ['info'] },
  LOGIN: { action: 'changed-login-id-to', category: 'authentication', type: ['start'] },
};

export const SESSION_TYPES = new Set(Object.keys(ACTIONS));

const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/;

export function sessionEvent(record: AuditRecord, base: MutableEvent): MutableEvent | undefined {
  const spec = ACTIONS[record.type];
  if (spec === undefined) return undefined;
  const res = value(record, 'res');
  const outcome =
    res === 'success' || res === '1' ? 'success' : res === 'failed' || res === '0' ? 'failure' : undefined;
  Object.assign(base, {
    ...authentication(outcome ?? 'success', spec.action, spec.type),
    'event.category': [spec.category],
    ...actor(record),
  });
  if (outcome === undefined) delete base['event.outcome'];
  const acct = meaningful(value(record, 'acct'));
  if (acct !== undefined && !acct.startsWith('(')) base['user.name'] = acct;
  const addr = meaningful(value(record, 'addr'));
  if (addr !== undefined && IP.test(addr)) Object.assign(base, remoteHost(addr));
  const host = meaningful(value(record, 'hostname'));
  if (host !== undefined && host !== addr && !IP.test(host)) base['source.domain'] = host;
  const terminal = meaningful(value(record, 'terminal'));
  if (terminal !== undefined) base['process.tty.name'] = terminal;
  if (record.type === 'USER_CMD') {
    const cmd = meaningful(value(record, 'cmd'));
    if (cmd !== undefined) base['tuxwatch.auditd.command'] = cmd;
    const cwd = meaningful(value(record, 'cwd'));
    if (cwd !== undefined) base['process.working_directory'] = cwd;
  }
  if (record.type === 'LOGIN') {
    const auid = setId(value(record, 'auid'));
    if (auid !== undefined) base['user.audit.id'] = auid;
    const old = setId(value(record, 'old-auid'));
    if (old !== undefined) base['tuxwatch.auditd.previous_audit_id'] = old;
  }
  return base;
}
