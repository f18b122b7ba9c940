import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import { AccountEnricher, InMemoryHostState } from '../../../src/enrich';
import { parse, readCorpus } from './evidence';

const auth = (line: string): SiemEvent => parse(line, { kind: 'syslog', timezone: 'Europe/Berlin' })[0]!;

describe('AccountEnricher', () => {
  it('web01: remembers UIDs and groups from the auth log', () => {
    const state = new InMemoryHostState();
    const enricher = new AccountEnricher(state);
    const lines = readCorpus('web01', 'auth.log').split('\n').filter(Boolean);
    const out = lines.map((l) => enricher.enrich(auth(l)));
    expect(state.account('web01', 'tmpadmin')).toEqual({ uid: '0', gid: '1003', groups: ['sudo'] });
    expect(state.account('web01', 'svc-backup')).toEqual({ uid: '1002', gid: '1002', groups: ['sudo'] });
    expect(state.account('web01', 'alice')).toEqual({ uid: '1001', gid: '1001', groups: ['developers'] });
    expect(state.account('web01', 'toor')).toEqual({ uid: '0', gid: '0', groups: [] });
    // usermod's line says the old UID itself; nothing else on web01 changes an account's UID
    const withPrevious = out.filter((e) => e['tuxwatch.user.previous.id'] !== undefined);
    expect(withPrevious.map((e) => e['event.original'])).toEqual([
      "Nov 26 09:11:17 web01 usermod[258]: change user 'tmpadmin' UID from '1003' to '0'",
    ]);
  });

  it('a session showing another UID than the one last seen gets tuxwatch.user.previous.id', () => {
    const enricher = new AccountEnricher(new InMemoryHostState());
    enricher.enrich(
      auth(
        'Nov 26 09:11:17 web01 useradd[230]: new user: name=tmpadmin, UID=1003, GID=1003, home=/home/tmpadmin, shell=/bin/bash, from=none',
      ),
    );
    // /etc/passwd edited by hand: the next session line is the first trace (same line shape as web01's)
    const session = auth(
      'Nov 26 09:11:17 web01 sshd[286]: pam_unix(sshd:session): session opened for user root(uid=0) by (uid=0)',
    );
    const asTmpadmin: SiemEvent = { ...session, 'user.name': 'tmpadmin' };
    const out = enricher.enrich(asTmpadmin);
    expect(out['tuxwatch.user.previous.id']).toBe('1003');
    expect(asTmpadmin['tuxwatch.user.previous.id']).toBeUndefined();
    expect(enricher.enrich(asTmpadmin)['tuxwatch.user.previous.id']).toBeUndefined(); // only once
  });

  it('userdel forgets the account; removal from a group is remembered; other datasets pass through', () => {
    const state = new InMemoryHostState();
    const enricher = new AccountEnricher(state);
    enricher.enrich(auth("Nov 26 09:11:17 web01 usermod[222]: add 'svc-backup' to group 'sudo'"));
    expect(state.account('web01', 'svc-backup')?.groups).toEqual(['sudo']);
    enricher.enrich(auth("Nov 26 09:11:17 web01 usermod[222]: add 'svc-backup' to shadow group 'sudo'"));
    expect(state.account('web01', 'svc-backup')?.groups).toEqual(['sudo']);
    const removal = { ...auth("Nov 26 09:11:17 web01 usermod[222]: add 'svc-backup' to group 'sudo'") };
    removal['event.action'] = 'user-removed-from-group';
    enricher.enrich(removal);
    expect(state.account('web01', 'svc-backup')?.groups).toEqual([]);
    const deleted = { ...removal, 'event.action': 'user-deleted' };
    enricher.enrich(deleted);
    expect(state.account('web01', 'svc-backup')).toBeUndefined();
    const ss = parse('tcp LISTEN 0 128 127.0.0.1:22 0.0.0.0:* users:(("sshd",pid=54,fd=3))', {
      kind: 'ss',
    })[0]!;
    expect(enricher.enrich(ss)).toBe(ss);
  });
});
