import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO } from '../../support/cli';
import { CORPUS } from '../../support/corpus';

// A scan's memory is its alerts, never its input: what it writes as it reads (--emit events on stdout,
// --dead-letter FILE) must go at the reader's pace. Before, a reader that paused let the scan read on and
// queue its output: 22 MB of syslog with stdout unread held 520–660 MB, a 100 MB file of junk with
// --dead-letter 640 MB. Here a reader pauses, the scan must stop reading its input (its bytes read, rchar
// in /proc/PID/io, settle well short of the file), and when the reader goes on, nothing is missing.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tuxwatch-backpressure-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bytes the process has read so far (files, pipes: everything), from /proc/PID/io. */
const rchar = (pid: number): number =>
  Number(/rchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);

/** Waits until the process has read nothing more for a second (at most 60 s), and returns what it had read. */
async function settledRead(child: ChildProcess): Promise<number> {
  let last = -1;
  for (let waited = 0; waited < 60_000; waited += 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = rchar(child.pid!);
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** A file of about `bytes` made of real log lines (the corpus' OpenSSH log), `lines` lines. */
function bigLog(name: string, bytes: number): { path: string; lines: number } {
  // its last line has no line break: copies must not run two lines into one
  const sample = readFileSync(join(CORPUS, 'loghub', 'OpenSSH_2k.log'), 'utf8').trimEnd() + '\n';
  const copies = Math.ceil(bytes / sample.length);
  const path = join(dir, name);
  writeFileSync(path, sample.repeat(copies));
  return { path, lines: sample.split('\n').filter((l) => l !== '').length * copies };
}

describe('scan writes at its reader’s pace', () => {
  it('--emit events: a paused stdout stops the reading; resumed, every event comes out', async () => {
    const input = bigLog('events.log', 30 << 20);
    const size = statSync(input.path).size;
    const child = spawn(
      process.execPath,
      [CLI, 'scan', '--emit', 'events', '--threads', '1', '--year', '2026', input.path],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    child.stdout!.pause();
    const read = await settledRead(child);
    // start-up (the bundle, its code cache, the rules) is a few MB; then a batch or so of the input
    expect(read).toBeLessThan(size / 3);
    let lines = 0;
    child.stdout!.on('data', (d: Buffer) => {
      for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
    });
    child.stdout!.resume();
    const [code] = (await once(child, 'close')) as [number];
    expect(code).toBe(0);
    expect(lines).toBe(input.lines);
  }, 180_000);

  it('--dead-letter to a FIFO nobody reads yet: the reading stops; read, every record is there', async () => {
    const junk = join(dir, 'junk.log');
    const records = 600_000;
    writeFileSync(
      junk,
      Array.from({ length: records }, (_, i) => `zz ${i} not any log format ${'x'.repeat(80)}`).join('\n') +
        '\n',
    );
    const size = statSync(junk).size;
    const fifo = join(dir, 'dead-letters.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // a reader that reads nothing yet, so the scan can open the FIFO and fill it
    const idle = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const child = spawn(process.execPath, [CLI, 'scan', '--threads', '2', '--dead-letter', fifo, junk], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const read = await settledRead(child);
      expect(read).toBeLessThan(size / 3);
      const counted = spawn('sh', ['-c', 'wc -l < "$0"', fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      counted.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      const countedClosed = once(counted, 'close'); // before any await: it may close first
      const [code] = (await once(child, 'close')) as [number];
      await countedClosed;
      expect(code, stderr).toBe(0);
      expect(stderr).toContain(`${records} dead letter(s)`);
      expect(Number(out.trim())).toBe(records);
    } finally {
      closeSync(idle);
      child.kill();
    }
  }, 180_000);
});
