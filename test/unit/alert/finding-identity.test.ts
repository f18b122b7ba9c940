import { describe, expect, it } from 'vitest';
import { AlertFolder } from '../../../src/alert/alert-folder';
import { EntityLedger } from '../../../src/alert/entity-ledger';
import { alertEntity, findingId } from '../../../src/alert/finding-key';
import { exactOccurrence } from '../../../src/alert/guessed-clock';
import type { Alert } from '../../../src/domain/alert';
import type { FieldValue, SiemEvent } from '../../../src/domain/event';
import type { FindingIdentity } from '../../../src/domain/rule';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WINDOW = 10 * MINUTE;
const T0 = Date.parse('2026-11-27T15:12:33.000Z');

/** new-uid0-account's identity (detections/new-uid0-account.yml) */
const ACCOUNT: FindingIdentity = { entities: [['user.target.name', 'user.name']], renewAfterMs: 7 * DAY };

const event = (fields: Record<string, FieldValue>): SiemEvent =>
  ({ '@timestamp': '2026-11-27T15:12:33.000Z', 'event.original': '', ...fields }) as SiemEvent;

/** An alert of new-uid0-account as buildAlert makes it, with the fields one source gives. */
function uid0(at: number, fields: Record<string, FieldValue>, host = 'web02'): Alert {
  const all: Record<string, FieldValue> = {
    '@timestamp': new Date(at).toISOString(),
    'event.original': `${String(fields['event.module'])} at ${at}`,
    'rule.id': 'new-uid0-account',
    'host.name': host,
    ...fields,
  };
  const entity = alertEntity(ACCOUNT, all as SiemEvent);
  return { id: `raw-${at}`, index: 'tuxwatch-alerts-2026.11', fields: all, ...(entity && { entity }) };
}

// what each source puts on the alert for the same account (scan of web02 and a collect sweep of it)
const authLog = (at: number) =>
  uid0(at, {
    'event.module': 'syslog',
    'event.dataset': 'auth',
    'event.action': 'user-created',
    'user.name': 'r00t',
    'user.target.name': 'r00t',
    'user.target.id': '0',
    'process.name': 'useradd',
    'process.pid': 207,
  });
const audit = (at: number) =>
  uid0(at, {
    'event.module': 'auditd',
    'event.dataset': 'auth',
    'event.action': 'user-created',
    'user.target.name': 'r00t',
    'user.target.id': '0',
    'group.id': '0',
    'process.name': 'useradd',
    'process.executable': '/usr/sbin/useradd',
    'process.pid': 32300,
  });
const sweep = (at: number, host = 'web02') =>
  uid0(
    at,
    {
      'event.module': 'snapshot',
      'event.dataset': 'auth',
      'event.action': 'account',
      'user.name': 'r00t',
      'user.target.name': 'r00t',
      'user.target.id': '0',
    },
    host,
  );

describe('a finding identity resolves its entities', () => {
  it('takes the first field of an entry the event has, its value only', () => {
    expect(alertEntity(ACCOUNT, event({ 'user.target.name': 'r00t', 'user.name': 'admin' }))?.values).toEqual(
      ['r00t'],
    );
    // a PAM session line names the account that now has UID 0 in user.name
    expect(alertEntity(ACCOUNT, event({ 'user.name': 'tmpadmin' }))?.values).toEqual(['tmpadmin']);
    expect(alertEntity(ACCOUNT, event({ 'user.target.name': '', 'user.name': 'x' }))?.values).toEqual(['x']);
  });

  it('gives none when an entity is missing: such an alert is keyed like any other', () => {
    const sudo: FindingIdentity = {
      entities: [
        ['user.target.name', 'user.name'],
        ['group.name', 'group.id'],
      ],
      renewAfterMs: DAY,
    };
    expect(alertEntity(sudo, event({ 'user.target.name': 'backupsvc' }))).toBeUndefined();
    expect(alertEntity(sudo, event({ 'user.target.name': 'backupsvc', 'group.id': 27 }))?.values).toEqual([
      'backupsvc',
      '27',
    ]);
  });
});

describe('the id of an entity finding', () => {
  it('ignores time slots and the fields a source adds or lacks', () => {
    const ids = [authLog(T0), audit(T0 + 854), sweep(T0 + 6 * HOUR)].map((a) => findingId(a, WINDOW));
    expect(new Set(ids).size).toBe(1);
    // a finding without identity keeps the slot: the same fields six hours later are another alert
    const plain = (at: number): Alert => {
      const { entity: _entity, ...rest } = authLog(at);
      return rest;
    };
    expect(findingId(plain(T0), WINDOW)).not.toBe(findingId(plain(T0 + 6 * HOUR), WINDOW));
  });

  it('differs by host, by entity and by generation', () => {
    const id = findingId(sweep(T0), WINDOW);
    expect(findingId(sweep(T0, 'web01'), WINDOW)).not.toBe(id);
    const other = uid0(T0, { 'event.module': 'syslog', 'user.target.name': 'helpdesk' });
    expect(findingId(other, WINDOW)).not.toBe(id);
    expect(findingId(sweep(T0), WINDOW, 1)).not.toBe(id);
  });
});

describe('folding entity findings', () => {
  it('makes auth.log, audit.log and a collect sweep hours later one alert with what each knew', () => {
    const folder = new AlertFolder(WINDOW);
    // the sweep's file is read first: arrival order is not the order of events
    folder.fold([sweep(T0 + 6 * HOUR)]);
    folder.fold([audit(T0 + 854)]);
    const [last] = folder.fold([authLog(T0)]);
    expect(folder.size).toBe(1);
    const f = last!.alert.fields;
    expect(last!.isNew).toBe(false);
    expect(f['tuxwatch.alert.count']).toBe(3);
    expect(f['tuxwatch.alert.sources']).toEqual(['auditd', 'snapshot', 'syslog']);
    expect(f['tuxwatch.alert.datasets']).toEqual(['auth']);
    // the earliest occurrence is the alert's first: its time and raw record
    expect(f['@timestamp']).toBe(new Date(T0).toISOString());
    expect(f['event.original']).toBe(`syslog at ${T0}`);
    expect(f['event.start']).toBe(new Date(T0).toISOString());
    expect(f['event.end']).toBe(new Date(T0 + 6 * HOUR).toISOString());
    // the union: audit's executable and group, auth.log's process name
    expect(f['process.executable']).toBe('/usr/sbin/useradd');
    expect(f['group.id']).toBe('0');
    expect(f['user.target.name']).toBe('r00t');
  });

  it('opens a new generation when the account recurs after renew-after of quiet', () => {
    const folder = new AlertFolder(WINDOW);
    const [first] = folder.fold([authLog(T0)]);
    const [weekLater] = folder.fold([sweep(T0 + 6 * DAY)]);
    expect(weekLater!.alert.id).toBe(first!.alert.id);
    // a month after the last sighting: the account was removed and is back
    const [again] = folder.fold([authLog(T0 + 40 * DAY)]);
    expect(again!.isNew).toBe(true);
    expect(again!.alert.id).not.toBe(first!.alert.id);
    expect(again!.alert.id).toBe(findingId(authLog(T0 + 40 * DAY), WINDOW, 1));
    expect(again!.alert.fields['tuxwatch.alert.count']).toBe(1);
  });

  it('forgets the finding itself a window on, and takes it up again from the ledger', () => {
    const folder = new AlertFolder(WINDOW);
    const [first] = folder.fold([authLog(T0)]);
    // web02 moves on an hour: the finding is swept from memory (SWEEP_EVERY alerts later) like any other
    const noise = (at: number) =>
      Array.from({ length: 1_000 }, (_, i) =>
        uid0(at, { 'event.module': 'syslog', 'user.target.name': `u${i}` }),
      );
    folder.fold(noise(T0 + HOUR));
    expect(folder.size).toBe(1_000);
    // the sweep six hours later: the same alert, its count and sources continued, its first occurrence kept
    const [back] = folder.fold([sweep(T0 + 6 * HOUR)]);
    expect(back).toMatchObject({ isNew: false, resumed: true });
    expect(back!.alert.id).toBe(first!.alert.id);
    expect(back!.alert.fields['tuxwatch.alert.count']).toBe(2);
    expect(back!.alert.fields['tuxwatch.alert.sources']).toEqual(['snapshot', 'syslog']);
    expect(back!.alert.fields['event.start']).toBe(new Date(T0).toISOString());
    // forgotten again, and back after more than renew-after of quiet: the next generation
    folder.fold(noise(T0 + 7 * HOUR));
    const [later] = folder.fold([authLog(T0 + 30 * DAY)]);
    expect(later!.isNew).toBe(true);
    expect(later!.alert.id).toBe(findingId(authLog(T0), WINDOW, 1));
  });

  it('takes up a finding another process wrote, from the ledger it left (a restart)', () => {
    const before = new EntityLedger();
    const [written] = new AlertFolder(WINDOW, { ledger: before }).fold([authLog(T0)]);
    const ledger = new EntityLedger();
    ledger.restore('web02', before.snapshot('web02')!);
    const folder = new AlertFolder(WINDOW, { ledger });
    const [resumed] = folder.fold([sweep(T0 + 6 * HOUR)]);
    expect(resumed!.alert.id).toBe(written!.alert.id);
    expect(resumed!.alert.index).toBe(written!.alert.index);
    expect(resumed!.isNew).toBe(false);
    expect(resumed!.resumed).toBe(true);
    expect(resumed!.alert.fields['tuxwatch.alert.count']).toBe(2);
    expect(resumed!.alert.fields['tuxwatch.alert.sources']).toEqual(['snapshot', 'syslog']);
    expect(resumed!.alert.fields['event.start']).toBe(new Date(T0).toISOString());
    // the next occurrence in this process folds into it as usual
    const [more] = folder.fold([audit(T0 + 854)]);
    expect(more!.alert.fields['tuxwatch.alert.count']).toBe(3);
  });

  it('refuses a ledger snapshot that is not one, and trims one to a size', () => {
    const ledger = new EntityLedger();
    expect(() => ledger.restore('web02', '{"v":1,"host":"web01","entities":[]}')).toThrow(
      /not an entity ledger/,
    );
    expect(() => ledger.restore('web02', '{"v":1,"host":"web02","entities":[["k",{"id":1}]]}')).toThrow(
      /\[key, record\]/,
    );
    const folder = new AlertFolder(WINDOW, { ledger });
    folder.fold(
      Array.from({ length: 50 }, (_, i) =>
        uid0(T0, { 'event.module': 'syslog', 'user.target.name': `account-${i}` }),
      ),
    );
    const json = ledger.snapshot('web02', 2_000)!;
    expect(json.length).toBeLessThanOrEqual(2_000);
    const back = new EntityLedger();
    back.restore('web02', json);
    // the most recent are kept
    expect(json).toContain('account-49');
  });
});

// auth.log's copy of a record carries no zone: in the hour clocks go back it is read as the first pass, an
// hour before the RFC 5424 or JSON copy of the same record, which says exactly when it was written
describe('one record in an encoding with a guessed zone and in one with an exact time', () => {
  const guessed = (at: number) => {
    const a = authLog(at);
    return { ...a, fields: { ...a.fields, 'event.timezone': 'America/New_York' } };
  };
  const exact = (at: number) => {
    const a = authLog(at);
    return { ...a, fields: { ...a.fields, 'log.syslog.format': 'rfc5424' } };
  };
  const time = (folded: { alert: Alert }) => [
    folded.alert.fields['@timestamp'],
    folded.alert.fields['event.start'],
    folded.alert.fields['event.end'],
  ];
  const at = (ms: number) => new Date(ms).toISOString();

  it('tells which of two occurrences is the exact one: one process, one second in the quarter hour', () => {
    expect(exactOccurrence(exact(T0 + 612).fields, guessed(T0 - HOUR).fields)).toBe('held');
    expect(exactOccurrence(guessed(T0 - HOUR).fields, exact(T0 + 612).fields)).toBe('repeat');
    // a whole year, or half an hour, apart is still the same wall clock read another way
    expect(exactOccurrence(exact(T0).fields, guessed(T0 - 365 * DAY).fields)).toBe('held');
    expect(exactOccurrence(exact(T0).fields, guessed(T0 + 30 * MINUTE).fields)).toBe('held');
    // another second, another process, or both guessed or both exact: not one record told twice
    expect(exactOccurrence(exact(T0).fields, guessed(T0 - HOUR + 1000).fields)).toBeUndefined();
    const otherPid = { ...guessed(T0 - HOUR).fields, 'process.pid': 208 };
    expect(exactOccurrence(exact(T0).fields, otherPid)).toBeUndefined();
    expect(exactOccurrence(guessed(T0).fields, guessed(T0 - HOUR).fields)).toBeUndefined();
    expect(exactOccurrence(exact(T0).fields, exact(T0 - HOUR).fields)).toBeUndefined();
  });

  it('keeps the exact time when the guessed copy comes after it', () => {
    const folder = new AlertFolder(WINDOW);
    folder.fold([exact(T0 + 612)]);
    const [folded] = folder.fold([guessed(T0 - HOUR)]);
    expect(time(folded!)).toEqual([at(T0 + 612), at(T0 + 612), at(T0 + 612)]);
    expect(folded!.alert.fields['tuxwatch.alert.count']).toBe(2);
    expect(folded!.alert.fields['event.timezone']).toBeUndefined();
  });

  it('takes the exact time, and the exact record as the first, when the guessed copy came first', () => {
    const folder = new AlertFolder(WINDOW);
    folder.fold([guessed(T0 - HOUR)]);
    const [folded] = folder.fold([exact(T0 + 612)]);
    expect(time(folded!)).toEqual([at(T0 + 612), at(T0 + 612), at(T0 + 612)]);
    expect(folded!.alert.fields['log.syslog.format']).toBe('rfc5424');
    // the zone auth.log was read in belongs to its reading, not to the exact record
    expect(folded!.alert.fields['event.timezone']).toBeUndefined();
  });

  it('an earlier occurrence of its own still moves the start: the control', () => {
    const folder = new AlertFolder(WINDOW);
    folder.fold([exact(T0 + 612)]);
    const [folded] = folder.fold([guessed(T0 - HOUR + 5000)]);
    expect(time(folded!)).toEqual([at(T0 - HOUR + 5000), at(T0 - HOUR + 5000), at(T0 + 612)]);
  });
});

// the first occurrence's raw record comes with its exact bytes when they are not UTF-8, and with a mark when
// its time was out of range: both belong to that record, not to the alert
describe('what belongs to the first occurrence stays with it', () => {
  const withBytes = (a: Alert): Alert => ({
    ...a,
    fields: {
      ...a.fields,
      'tuxwatch.original.base64': 'TmV3IHVzZXIg/w==',
      'tuxwatch.event.time_out_of_range': true,
    },
  });

  it("a repeat's exact bytes and time mark are not put beside the first occurrence's record", () => {
    const folder = new AlertFolder(WINDOW);
    folder.fold([authLog(T0)]);
    const [folded] = folder.fold([withBytes(audit(T0 + 854))]);
    expect(folded!.alert.fields['event.original']).toBe(authLog(T0).fields['event.original']);
    expect(folded!.alert.fields['tuxwatch.original.base64']).toBeUndefined();
    expect(folded!.alert.fields['tuxwatch.event.time_out_of_range']).toBeUndefined();
    // what the repeat knew that the finding lacked is still added
    expect(folded!.alert.fields['process.executable']).toBe('/usr/sbin/useradd');
  });

  it('an earlier occurrence taking the first place does not keep the bytes of the one it replaced', () => {
    const folder = new AlertFolder(WINDOW);
    folder.fold([withBytes(audit(T0 + 854))]);
    const [folded] = folder.fold([authLog(T0)]);
    expect(folded!.alert.fields['event.original']).toBe(authLog(T0).fields['event.original']);
    expect(folded!.alert.fields['tuxwatch.original.base64']).toBeUndefined();
    expect(folded!.alert.fields['tuxwatch.event.time_out_of_range']).toBeUndefined();
  });
});
