import { describe, expect, it } from 'vitest';
import { AlertFolder } from '../../../src/alert/alert-folder';
import type { Alert } from '../../../src/domain/alert';

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-26T08:00:00.000Z');

/** An alert as the builder makes them, reduced to what folding reads. */
const alert = (host: string, user: string, at: number): Alert => ({
  id: `${host}/${user}/${at}`,
  index: 'tuxwatch-alerts-2026.11',
  fields: {
    '@timestamp': new Date(at).toISOString(),
    'rule.id': 'ssh-failed-login',
    'host.name': host,
    'user.name': user,
  },
});

describe('AlertFolder memory', () => {
  it('forgets findings a whole window behind their host’s event time; a late repeat reopens the same id', () => {
    const folder = new AlertFolder(10 * MINUTE);
    const [first] = folder.fold([alert('web01', 'root', T0)]);
    expect(first!.isNew).toBe(true);
    expect(folder.fold([alert('web01', 'root', T0 + MINUTE)])[0]!.isNew).toBe(false);
    // another host far ahead in time does not age web01's findings
    folder.fold(Array.from({ length: 1_000 }, (_, i) => alert('db02', `u${i}`, T0 + 60 * MINUTE)));
    expect(folder.size).toBe(1_001);
    // web01 moves on: 25 minutes later its 08:00 slot (ends 08:10) is more than a window behind
    folder.fold(Array.from({ length: 1_000 }, (_, i) => alert('web01', `v${i}`, T0 + 25 * MINUTE)));
    expect(folder.size).toBe(2_000);
    const [late] = folder.fold([alert('web01', 'root', T0 + 2 * MINUTE)]);
    expect(late!.isNew).toBe(true);
    expect(late!.alert.id).toBe(first!.alert.id);
    expect(late!.alert.fields['tuxwatch.alert.count']).toBe(1);
  });

  it('stays bounded when event time stands still', () => {
    const folder = new AlertFolder(10 * MINUTE, 500);
    folder.fold(Array.from({ length: 2_000 }, (_, i) => alert('web01', `u${i}`, T0)));
    expect(folder.size).toBe(500);
  });
});

describe('AlertFolder counts occurrences', () => {
  it('an alert on an event standing for N occurrences (tuxwatch.event.count) adds N to the fold count', () => {
    const folder = new AlertFolder(10 * MINUTE);
    const repeated = (at: number, n: number): Alert => {
      const a = alert('web01', 'root', at);
      return { ...a, fields: { ...a.fields, 'tuxwatch.event.count': n } };
    };
    expect(folder.fold([repeated(T0, 10_000)])[0]!.alert.fields['tuxwatch.alert.count']).toBe(10_000);
    const [again] = folder.fold([alert('web01', 'root', T0 + 1_000), repeated(T0 + 2_000, 5)]);
    expect(again!.alert.fields['tuxwatch.alert.count']).toBe(10_006);
  });
});
