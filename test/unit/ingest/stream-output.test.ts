import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StreamOutput } from '../../../src/ingest/files/stream-output';

/** A stream that takes one write at a time and finishes each only when the test says so. */
function slowStream(highWaterMark: number) {
  const writes: string[] = [];
  const pending: Array<() => void> = [];
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      writes.push(chunk);
      pending.push(() => done());
    },
  });
  const finishOne = () => pending.shift()?.();
  return { stream, writes, finishOne };
}

const settled = async (p: Promise<void>): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('StreamOutput', () => {
  it('writes in pieces of the given size, not a write per text, and flush writes the rest', async () => {
    const { stream, writes, finishOne } = slowStream(1 << 20);
    const out = new StreamOutput(stream, 10);
    for (const text of ['abc', 'def', 'ghij', 'k', 'lm']) out.write(text);
    expect(writes).toEqual(['abcdefghij']);
    const flushed = out.flush();
    finishOne();
    finishOne();
    await flushed;
    expect(writes).toEqual(['abcdefghij', 'klm']);
    expect(writes.join('')).toBe('abcdefghijklm');
  });

  it('drained() waits while the stream is behind and resolves when it catches up', async () => {
    const { stream, finishOne } = slowStream(4);
    const out = new StreamOutput(stream, 4);
    expect(await settled(out.drained())).toBe(true); // nothing written: not behind
    out.write('12345678'); // over the stream's high-water mark
    const waiting = out.drained();
    expect(await settled(waiting)).toBe(false);
    finishOne();
    expect(await settled(waiting)).toBe(true);
  });

  it('a stream that fails or is closed ends the wait: the writer is never left hanging', async () => {
    const { stream } = slowStream(4);
    stream.on('error', () => undefined); // the owner's handler (scan: EPIPE ends the run)
    const out = new StreamOutput(stream, 4);
    out.write('12345678');
    const waiting = out.drained();
    expect(await settled(waiting)).toBe(false);
    stream.destroy(new Error('EPIPE'));
    await waiting;
    expect(await settled(out.drained())).toBe(true);
  });
});
