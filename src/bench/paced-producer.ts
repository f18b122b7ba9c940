import type { Message, Producer } from 'kafkajs';
import type { ReplayStream } from './replay-stream';
import { sleep } from './bench-service';

/** How many hosts the records are keyed by (spread over the topic's partitions). */
export const HOSTS = 10;
const TICK_MS = 20;

export interface PacedRun {
  readonly sent: number;
  readonly seconds: number;
}

/**
 * Produces the replay stream at a fixed rate for a while: every tick sends what the schedule says is due,
 * so a slow send is caught up, not lost. `extra` adds messages to a tick (latency probes); every message
 * of a send carries that send's start as its Kafka timestamp, the record's "produced" time.
 */
export async function producePaced(
  producer: Producer,
  topic: string,
  stream: ReplayStream,
  ratePerS: number,
  seconds: number,
  extra?: (producedAt: number) => Message[],
): Promise<PacedRun> {
  const start = Date.now();
  const end = start + seconds * 1000;
  let sent = 0;
  for (let now = start; now < end; now = Date.now()) {
    const due = Math.floor(((now - start) / 1000) * ratePerS);
    if (due <= sent) {
      await sleep(TICK_MS);
      continue;
    }
    // one second's worth at most per send, so a stalled broker does not build one giant request
    const count = Math.min(due - sent, Math.ceil(ratePerS));
    const producedAt = Date.now();
    const timestamp = String(producedAt);
    const messages: Message[] = [];
    for (let i = sent; i < sent + count; i++) messages.push(record(stream, i, timestamp));
    if (extra) messages.push(...extra(producedAt).map((m) => ({ ...m, timestamp })));
    await producer.send({ topic, messages });
    sent += count;
  }
  return { sent, seconds: (Date.now() - start) / 1000 };
}

/** Fills a topic with `count` records as fast as the broker takes them. */
export async function produceAll(
  producer: Producer,
  topic: string,
  stream: ReplayStream,
  count: number,
): Promise<void> {
  for (let sent = 0; sent < count; sent += 5000) {
    const messages: Message[] = [];
    const timestamp = String(Date.now());
    for (let i = sent; i < Math.min(sent + 5000, count); i++) messages.push(record(stream, i, timestamp));
    await producer.send({ topic, messages });
  }
}

function record(stream: ReplayStream, i: number, timestamp: string): Message {
  return {
    key: `host-${i % HOSTS}`,
    value: stream.line(i),
    timestamp,
    headers: { timezone: 'Europe/Berlin' },
  };
}
