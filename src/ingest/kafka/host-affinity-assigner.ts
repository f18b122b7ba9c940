import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

/**
 * Partition numbers, spread over the members; every topic's partition of one number goes to one member.
 * `partitions` maps topic → partition ids; members are assigned in sorted order, so every leader computes
 * the same answer.
 */
export function assignByPartitionNumber(
  memberIds: readonly string[],
  partitions: Readonly<Record<string, readonly number[]>>,
): Record<string, Record<string, number[]>> {
  const members = [...memberIds].sort();
  const numbers = [...new Set(Object.values(partitions).flat())].sort((a, b) => a - b);
  const owner = new Map(numbers.map((n, i) => [n, members[i % members.length]!]));
  // topic and member names are data ("toString" is a valid topic): no prototype to collide with
  const out = Object.create(null) as Record<string, Record<string, number[]>>;
  for (const member of members) out[member] = Object.create(null) as Record<string, number[]>;
  for (const [topic, ids] of Object.entries(partitions)) {
    for (const id of [...ids].sort((a, b) => a - b)) {
      const assignment = out[owner.get(id)!]!;
      (assignment[topic] ??= []).push(id);
    }
  }
  return out;
}

/**
 * The group's assignor. A host's records go to the same partition number on every input topic (they are
 * keyed by host), and its state lives on that number of the state topic, so one consumer must own that
 * number everywhere; kafkajs' round-robin assignor spreads a number's topics over different members.
 */
export const HostAffinityAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'TuxwatchHostAffinity',
  version: 1,
  assign({ members, topics }) {
    const partitions = Object.fromEntries(
      topics.map((topic) => [topic, cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId)]),
    );
    const plan = assignByPartitionNumber(
      members.map((m) => m.memberId),
      partitions,
    );
    return Promise.resolve(
      Object.entries(plan).map(([memberId, assignment]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment,
          userData: Buffer.alloc(0),
        }),
      })),
    );
  },
  protocol({ topics }) {
    return {
      name: 'TuxwatchHostAffinity',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
    };
  },
});
