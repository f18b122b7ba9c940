import type { Enricher } from '../domain/enricher';
import type { EnrichedFields } from '../domain/field-catalogue';
import type { SiemEvent } from '../domain/event';
import { hostOf, text, withFields } from './event-fields';
import type { AccountRecord, HostState } from './state/host-state';

const GROUP_ADDED = new Set(['user-added-to-group', 'user-added-to-shadow-group']);
const GROUP_REMOVED = new Set(['user-removed-from-group', 'user-removed-from-shadow-group']);

const ACCOUNT_FIELDS: EnrichedFields = {
  name: 'account history',
  datasets: ['auth'],
  requires: ['user.target.id', 'user.id'],
  adds: ['tuxwatch.user.previous.id'],
};

/**
 * Remembers, per host, each account's UID and groups as the auth log shows them (useradd, usermod,
 * gpasswd, PAM session lines that print `user(uid=N)`), and sets `tuxwatch.user.previous.id` when an
 * account shows up with another UID than the one last seen: the trace of a UID change made without
 * usermod, e.g. by editing /etc/passwd. An event that already says what the UID was (usermod's own line)
 * keeps its value.
 */
export class AccountEnricher implements Enricher {
  readonly fields = ACCOUNT_FIELDS;

  constructor(private readonly state: HostState) {}

  enrich(event: SiemEvent): SiemEvent {
    if (event['event.dataset'] !== 'auth') return event;
    const action = event['event.action'];
    if (typeof action !== 'string') return event;
    const host = hostOf(event);
    if (action === 'user-deleted') {
      const name = text(event, 'user.target.name');
      if (name !== undefined) this.state.deleteAccount(host, name);
      return event;
    }
    if (GROUP_ADDED.has(action) || GROUP_REMOVED.has(action)) {
      this.membership(host, event, GROUP_ADDED.has(action));
      return event;
    }
    const identity = identityOf(event);
    if (identity === undefined) return event;
    const known = this.state.account(host, identity.name);
    this.state.putAccount(host, identity.name, {
      groups: known?.groups ?? [],
      ...(known?.gid !== undefined && { gid: known.gid }),
      ...(action === 'user-created' &&
        text(event, 'group.id') !== undefined && { gid: text(event, 'group.id') }),
      uid: identity.uid,
    });
    if (known?.uid === undefined || known.uid === identity.uid) return event;
    if (event['tuxwatch.user.previous.id'] !== undefined) return event;
    return withFields(event, { 'tuxwatch.user.previous.id': known.uid });
  }

  private membership(host: string, event: SiemEvent, added: boolean): void {
    const name = text(event, 'user.target.name');
    const group = text(event, 'group.name');
    if (name === undefined || group === undefined) return;
    const known: AccountRecord = this.state.account(host, name) ?? { groups: [] };
    const has = known.groups.includes(group);
    if (added === has) return;
    const groups = added ? [...known.groups, group] : known.groups.filter((g) => g !== group);
    this.state.putAccount(host, name, { ...known, groups });
  }
}

/**
 * The account and UID an auth event states: the account acted upon (useradd, usermod) or, for PAM session
 * lines, the session's user. Other lines carry names without UIDs and teach nothing.
 */
function identityOf(event: SiemEvent): { name: string; uid: string } | undefined {
  const targetName = text(event, 'user.target.name');
  const targetId = text(event, 'user.target.id');
  if (targetName !== undefined && targetId !== undefined) return { name: targetName, uid: targetId };
  if (event['event.action'] !== 'session-opened') return undefined;
  const name = text(event, 'user.name');
  const uid = text(event, 'user.id');
  return name !== undefined && uid !== undefined ? { name, uid } : undefined;
}
