import type { SiemEvent } from '../domain/event';

/**
 * Whether an event that matched no rule may still matter to the stateful stages of the main thread, so a
 * parse worker must hand it over whole rather than only count it:
 * - every event that is not plain syslog or auth-log text: file integrity (file modes and mtimes), sockets
 *   (listener baselines), processes (lineage, the folder's process facts), audit and the rest are kept;
 * - auth events that state an account or a session's user (account memory: UIDs, groups), and account and
 *   group changes.
 * What is left is the bulk of a large log — cron, kernel and daemon chatter, failed logins that no rule
 * matched — which no enricher reads and no rule can match, whatever the state. An event a rule matches is
 * always handed over (correlation counts it). The equivalence of the one-thread and the worker run is
 * tested on the whole corpus (test/unit/cli/scan-threads.test.ts).
 */
export function mattersToState(event: SiemEvent): boolean {
  const dataset = event['event.dataset'];
  if (dataset !== 'syslog' && dataset !== 'auth') return true;
  if (dataset === 'syslog') return false;
  const action = event['event.action'];
  if (typeof action === 'string' && (action.startsWith('user-') || action.startsWith('group-'))) return true;
  if (action === 'session-opened') return true;
  return event['user.target.name'] !== undefined || event['user.target.id'] !== undefined;
}
