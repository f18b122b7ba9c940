import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignByPartitionNumber } from '../../../src/ingest/kafka/host-affinity-assigner';

describe('assignByPartitionNumber', () => {
  it('gives one partition number of every topic to one member', () => {
    const plan = assignByPartitionNumber(['m-b', 'm-a'], {
      'linux.auth': [0, 1, 2],
      'linux.fim': [2, 1, 0],
      'linux.sockets': [0, 1, 2],
    });
    expect(plan).toEqual({
      'm-a': { 'linux.auth': [0, 2], 'linux.fim': [0, 2], 'linux.sockets': [0, 2] },
      'm-b': { 'linux.auth': [1], 'linux.fim': [1], 'linux.sockets': [1] },
    });
  });

  it('a member with nothing to do gets an empty assignment, not none', () => {
    expect(assignByPartitionNumber(['a', 'b', 'c'], { t: [0] })).toEqual({ a: { t: [0] }, b: {}, c: {} });
  });

  it('every partition once, a number never split, the load even to one number', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }),
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 8 }),
          fc.integer({ min: 1, max: 12 }).map((n) => [...Array(n).keys()]),
          { minKeys: 1, maxKeys: 5 },
        ),
        (members, partitions) => {
          const plan = assignByPartitionNumber(members, partitions);
          const owners = new Map<number, string>();
          const given: string[] = [];
          for (const [member, assignment] of Object.entries(plan)) {
            for (const [topic, ids] of Object.entries(assignment)) {
              for (const id of ids) {
                given.push(`${topic}/${id}`);
                expect(owners.get(id) ?? member).toBe(member);
                owners.set(id, member);
              }
            }
          }
          const all = Object.entries(partitions).flatMap(([t, ids]) => ids.map((id) => `${t}/${id}`));
          expect(given.sort()).toEqual(all.sort());
          const perMember = members.map((m) => [...owners.values()].filter((o) => o === m).length);
          expect(Math.max(...perMember) - Math.min(...perMember)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
