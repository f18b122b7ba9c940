import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  type Producer,
  type ProducerRecord,
} from 'kafkajs';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DeadLetterProducer, type DeadLetterMessage } from '../../../src/ingest/kafka/dead-letter.producer';
import { PipelineMetrics } from '../../../src/observability/metrics';
import { FatalSinkError, SinkStoppedError } from '../../../src/retry/retry-control';

/**
 * The dead-letter writer's answer to each kind of failed write, against a producer that fails as kafkajs
 * does (its own errors, wrapped as its retrier wraps them with `retries: 0`). The real broker's version of
 * an unavailable topic is test/integration/faults/dead-letter-unavailable.int.test.ts.
 */

/** kafkajs' retrier wraps a non-retriable error with its cause (its type declarations omit the option) */
const NonRetriable = KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: Error }) => Error;

/** kafkajs' rendering of a broker error code (src/protocol/error.js), as a send with no retries rejects. */
const brokerError = (type: string, retriable: boolean): Error => {
  const cause = new KafkaJSProtocolError({ type, retriable, message: `broker says ${type}` } as never);
  return retriable
    ? new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 0, retryTime: 300 })
    : new NonRetriable(cause, { cause });
};

function harness(failures: (Error | undefined)[] | ((r: ProducerRecord) => Error | undefined)) {
  const sent: ProducerRecord[] = [];
  const attempts: ProducerRecord[] = [];
  const producer = {
    send: async (record: ProducerRecord) => {
      attempts.push(record);
      const failure = typeof failures === 'function' ? failures(record) : failures.shift();
      if (failure) throw failure;
      sent.push(record);
      return [];
    },
  } as unknown as Producer;
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  const metrics = new PipelineMetrics();
  const writer = new DeadLetterProducer(producer, 'dead', logger, metrics);
  let heartbeats = 0;
  let running = true;
  const control = {
    keepAlive: async () => void heartbeats++,
    shouldContinue: () => running,
  };
  const retries = async (): Promise<number> =>
    (await metrics.deadLetterSendRetries.get()).values[0]?.value ?? 0;
  return {
    writer,
    control,
    sent,
    attempts,
    lines,
    retries,
    heartbeats: () => heartbeats,
    stop: () => (running = false),
  };
}

const letters = (n: number): DeadLetterMessage[] =>
  Array.from({ length: n }, (_, i) => ({
    reason: `reason ${i}`,
    position: { topic: 'in', partition: 0, offset: String(i) },
    key: Buffer.from('web01'),
    value: Buffer.from(`record ${i}`),
  }));

describe('dead-letter writer', () => {
  it('waits out a topic that cannot take writes for now, heartbeating, logging the outage once', async () => {
    const h = harness([
      brokerError('NOT_ENOUGH_REPLICAS', true),
      brokerError('UNKNOWN_TOPIC_OR_PARTITION', true),
      new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092'),
    ]);
    const done = h.writer.send(letters(2), h.control);
    await expect.poll(() => h.writer.writable).toBe(false);
    await done;
    expect(h.writer.writable).toBe(true);
    expect(h.attempts).toHaveLength(4);
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]!.messages.map((m) => m.headers?.['tuxwatch.source.offset'])).toEqual(['0', '1']);
    expect(h.heartbeats()).toBeGreaterThanOrEqual(3);
    expect(await h.retries()).toBe(3);
    const warnings = h.lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      topic: 'dead',
      reason: expect.stringMatching(/^NOT_ENOUGH_REPLICAS: /),
    });
    expect(h.lines.at(-1)).toMatchObject({ msg: 'dead-letter topic writable again', retries: 2 });
  });

  it('gives the wait up, nothing written, when the consumer stops', async () => {
    const h = harness(() => brokerError('LEADER_NOT_AVAILABLE', true));
    const done = h.writer.send(letters(1), h.control);
    await expect.poll(() => h.attempts.length).toBeGreaterThanOrEqual(2);
    h.stop();
    await expect(done).rejects.toBeInstanceOf(SinkStoppedError);
    expect(h.sent).toEqual([]);
    expect(h.writer.writable).toBe(false);
  });

  it('stops the process on a write the topic will never take (not authorized)', async () => {
    const h = harness(() => brokerError('TOPIC_AUTHORIZATION_FAILED', false));
    await expect(h.writer.send(letters(3), h.control)).rejects.toThrow(FatalSinkError);
    await expect(h.writer.send(letters(3), h.control)).rejects.toThrow(/TOPIC_AUTHORIZATION_FAILED/);
    expect(h.attempts).toHaveLength(2);
    expect(h.writer.writable).toBe(false);
  });

  it('writes dead letters one by one when together they are too large', async () => {
    const tooLarge = (r: ProducerRecord) =>
      r.messages.length > 1 ? brokerError('MESSAGE_TOO_LARGE', false) : undefined;
    const h = harness(tooLarge);
    await h.writer.send(letters(2), h.control);
    expect(h.sent.map((r) => r.messages.map((m) => m.value!.toString()))).toEqual([
      ['record 0'],
      ['record 1'],
    ]);
  });

  it('K08: a dead letter too large alone is cut until the topic takes it, flagged, with its true size', async () => {
    // a topic that takes values of 10,000 bytes at most
    const h = harness((r) =>
      r.messages.some((m) => (m.value?.length ?? 0) > 10_000)
        ? brokerError('MESSAGE_TOO_LARGE', false)
        : undefined,
    );
    const poison = Buffer.alloc(200_000, 0x41);
    await h.writer.send([{ ...letters(1)[0]!, value: poison }, ...letters(2).slice(1)], h.control);
    const written = h.sent.flatMap((r) => r.messages);
    expect(
      written.map((m) => [m.value!.length, m.headers?.['tuxwatch.truncated'], m.headers?.['tuxwatch.size']]),
    ).toEqual([
      [4096, 'true', '200000'], // 200,000 → 65,536 → 16,384 → 4,096
      ['record 1'.length, undefined, '8'],
    ]);
    expect(Buffer.from(written[0]!.value!)).toEqual(poison.subarray(0, 4096));
    expect(
      h.lines.filter((l) => l.msg === 'a message is larger than the dead-letter topic takes; writing it cut'),
    ).toHaveLength(3);
  });

  it('stops the process when the topic refuses even a dead letter cut to nothing', async () => {
    const h = harness(() => brokerError('MESSAGE_TOO_LARGE', false));
    await expect(h.writer.send(letters(1), h.control)).rejects.toThrow(/MESSAGE_TOO_LARGE/);
    expect(h.attempts.map((r) => r.messages[0]!.value!.length)).toEqual([8, 2, 0]);
  });

  it('writes nothing for nothing', async () => {
    const h = harness([]);
    await h.writer.send([], h.control);
    expect(h.attempts).toEqual([]);
  });
});
