import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { CLI, ndjson, REPO, tuxwatch } from '../../support/cli';
import { corpusLines } from '../../support/corpus';

// each test runs the CLI, some several times, on a machine shared with other builds
vi.setConfig({ testTimeout: 60_000 });

const HOSTILE = resolve(__dirname, '..', '..', 'hostile');
const WEB01_AUTH = join(REPO, 'samples', 'web01', 'auth.log');
const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-hostile-files-'));
chmodSync(dir, 0o755);

interface DeadLetterLine {
  reason: string;
  source: string;
  size: number;
  truncated?: boolean;
  original: string;
  original_base64?: string;
}
interface AlertDoc {
  rule: { id: string };
  host: { name: string };
  user?: { target?: { name: string } };
  event: { original: string };
  tuxwatch: { original?: { base64: string } };
}

const uid0 = (stdout: string) => ndjson<AlertDoc>(stdout).filter((a) => a.rule.id === 'new-uid0-account');
const deadLetters = (file: string) => ndjson<DeadLetterLine>(readFileSync(file, 'utf8'));
const web01Alerts = uid0(tuxwatch(['scan', WEB01_AUTH]).stdout).length;

describe('a file of bad lines: one dead letter per bad line, with its true size', () => {
  it('a broken JSON line, a binary line and a 3,000,000-byte line (3 MB file starting with `{`)', () => {
    const file = join(dir, 'three.ndjson');
    const binary = Buffer.from([...Array(256).keys()].filter((b) => b !== 0x0a)).subarray(1); // no NUL, no LF
    const huge = `{"x":"${'A'.repeat(3_000_000 - 8)}"}`;
    writeFileSync(
      file,
      Buffer.concat([Buffer.from('{"oops": not json,\n'), binary, Buffer.from(`\n${huge}\n`)]),
    );
    expect(statSync(file).size).toBeGreaterThan(3_000_000);
    const dl = join(dir, 'three.dl');
    const run = tuxwatch(['scan', '--dead-letter', dl, file]);
    expect(run.status, run.stderr).toBe(0);
    const entries = deadLetters(dl);
    expect(entries.map((e) => [e.source, e.size, e.truncated ?? false])).toEqual([
      [`${file}:1`, 18, false],
      [`${file}:2`, 254, false],
      [`${file}:3`, 3_000_000, true],
    ]);
    expect(entries[0]!.reason).toMatch(/^malformed JSON/);
    expect(entries[0]!.original).toBe('{"oops": not json,');
    // the binary line's exact bytes survive in base64; the text has U+FFFD where they were not UTF-8
    expect(Buffer.from(entries[1]!.original_base64!, 'base64')).toEqual(binary);
    expect(entries[2]!.reason).toBe('record of 3000000 bytes exceeds the limit of 1048576');
    expect(entries[2]!.original).toBe(huge.slice(0, 64 * 1024));
    expect(run.stderr).toMatch(/3 of 3 records could not be parsed/);
  });
});

describe('S17: a crafted first line does not turn a file into one document', () => {
  const records = corpusLines('web01', 'all-rsyslog.jsonl').filter((l) => l.includes('UID=0'));

  it('a first line longer than 64 KiB: every record after it is still read', () => {
    const file = join(dir, 'longfirst.jsonl');
    const first = JSON.stringify({ ...JSON.parse(records[0]!), pad: 'P'.repeat(70_000) });
    writeFileSync(file, [first, ...records].join('\n') + '\n');
    const run = tuxwatch(['scan', '--suppress-window', '0', file]);
    expect(run.status, run.stderr).toBe(0);
    expect(uid0(run.stdout)).toHaveLength(records.length + 1);
  });

  it("the red team's file (gen_scan.py): a 70 KB first record, then 20,000: 20,001 alerts, not one dead letter", () => {
    const record = (i: number, extra: Record<string, unknown>) => ({
      '@timestamp': `2026-11-26T09:11:${String(i % 60).padStart(2, '0')}Z`,
      event: { kind: 'event', dataset: 'auth', action: 'user-created' },
      ...extra,
    });
    const first = JSON.stringify(
      record(17, { pad: 'P'.repeat(70_000), user: { target: { name: 'first', id: '0' } }, message: 'first' }),
    );
    const rest = Array.from({ length: 20_000 }, (_, i) =>
      JSON.stringify(
        record(i, {
          user: { target: { name: `toor${i}`, id: '0' } },
          host: { name: `h${i}` },
          message: `r${i}`,
        }),
      ),
    );
    const file = join(dir, 'longfirst.ndjson');
    writeFileSync(file, [first, ...rest].join('\n') + '\n');
    expect(first.length).toBeGreaterThan(64 * 1024); // past the 64 KiB head the reader once sniffed
    const run = tuxwatch(['scan', '--suppress-window', '0', file]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/could not be parsed/);
    expect(uid0(run.stdout)).toHaveLength(20_001);
  });

  it('a malformed first line: it is one dead letter, the 100 records after it raise their 100 alerts', () => {
    const dl = join(dir, 'badfirst.dl');
    const run = tuxwatch([
      'scan',
      '--suppress-window',
      '0',
      '--dead-letter',
      dl,
      join(HOSTILE, 'badfirst.ndjson'),
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(ndjson(run.stdout)).toHaveLength(100);
    expect(deadLetters(dl).map((e) => [e.original, e.size])).toEqual([['{oops not json', 14]]);
  });

  const AIDE = join(REPO, 'test', 'fixtures', 'aide', 'db02-dst-aide-report.json');

  it('a JSON document over the lines (an AIDE report) is still one record', () => {
    const run = tuxwatch(['scan', '--emit', 'events', AIDE]);
    expect(run.stderr).not.toMatch(/could not be parsed/);
    expect(ndjson(run.stdout).length).toBeGreaterThan(1);
  });

  it('a pretty-printed document larger than the limit: one dead letter, cut, with the size of the whole file', () => {
    const file = join(dir, 'big-report.json');
    writeFileSync(
      file,
      `{\n  "start_time": "2026-03-08 03:00:05 -0400",\n  "pad": "${'P'.repeat(2 << 20)}"\n}\n`,
    );
    const dl = join(dir, 'big-report.dl');
    const run = tuxwatch(['scan', '--dead-letter', dl, file]);
    expect(run.status, run.stderr).toBe(0);
    expect(deadLetters(dl).map((e) => [e.size, e.truncated, e.original.length])).toEqual([
      [statSync(file).size, true, 64 * 1024],
    ]);
  });

  it('such a document over the record limit is one dead letter with its size, not a dead letter per line', () => {
    const dl = join(dir, 'aide.dl');
    const run = tuxwatch(['scan', '--max-record-bytes', '2048', '--dead-letter', dl, AIDE]);
    expect(run.status, run.stderr).toBe(0);
    expect(deadLetters(dl).map((e) => [e.size, e.truncated, e.original.length])).toEqual([
      [statSync(AIDE).size, true, 2048],
    ]);
  });
});

describe('S04/S04b/S14: lines past any limit are counted, not held', () => {
  it(
    'a 64 MB line in a 32 MB heap: dead-lettered with its size, and the good line after it alerts',
    { timeout: 60_000 },
    () => {
      const file = join(dir, 'line64mb.log');
      const good = corpusLines('web01', 'auth.log').find((l) => l.includes('name=toor'))!;
      writeFileSync(file, `Nov 26 09:11:17 web01 sshd[1]: ${'A'.repeat(64 << 20)}\n${good}\n`);
      const dl = join(dir, 'line64mb.dl');
      const run = spawnSync(
        process.execPath,
        ['--max-old-space-size=32', CLI, 'scan', '--dead-letter', dl, file],
        {
          cwd: REPO,
          encoding: 'utf8',
        },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(uid0(run.stdout)).toHaveLength(1);
      const [entry] = deadLetters(dl);
      expect([entry!.size, entry!.truncated, entry!.original.length]).toEqual([
        (64 << 20) + 31,
        true,
        64 * 1024,
      ]);
    },
  );

  it('/dev/zero on stdin: memory bounded, the endless line cut and said, exit 2', { timeout: 60_000 }, () => {
    const run = spawnSync(process.execPath, [CLI, 'scan', '-'], {
      cwd: REPO,
      encoding: 'utf8',
      stdio: [openSync('/dev/zero', 'r'), 'pipe', 'pipe'],
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/cannot read <stdin>: line 1 is longer than \d+ bytes with no end in sight/);
    expect(run.stderr).toMatch(
      /1 of 1 records could not be parsed \(1 × record over the limit of \d+ bytes\)/,
    );
  });

  it('/dev/zero named: a character device is refused with a message, exit 2', () => {
    const run = tuxwatch(['scan', '/dev/zero', WEB01_AUTH]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/cannot read \/dev\/zero: a character device, not a file of records/);
    expect(uid0(run.stdout)).toHaveLength(web01Alerts);
  });
});

describe('S13: FIFOs and process substitution are read', () => {
  it('<(cat file) gives what the file gives', () => {
    const run = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" scan <(cat "${WEB01_AUTH}")`], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(uid0(run.stdout)).toHaveLength(web01Alerts);
    expect(web01Alerts).toBeGreaterThan(0);
  });

  it('a named FIFO with a writer', () => {
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const run = spawnSync(
      'bash',
      ['-c', `cat "${WEB01_AUTH}" > "${fifo}" & "${process.execPath}" "${CLI}" scan "${fifo}"; wait`],
      { cwd: REPO, encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(uid0(run.stdout)).toHaveLength(web01Alerts);
  });

  it('a FIFO met inside a directory is skipped and named (it may have no writer)', () => {
    const sub = join(dir, 'with-fifo');
    mkdirSync(sub);
    writeFileSync(join(sub, 'auth.log'), readFileSync(WEB01_AUTH));
    expect(spawnSync('mkfifo', [join(sub, 'pipe')]).status).toBe(0);
    const run = tuxwatch(['scan', sub]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(`skipped ${join(sub, 'pipe')}: a FIFO in a directory`);
    expect(uid0(run.stdout)).toHaveLength(web01Alerts);
  });
});

describe('S15/S16: what cannot be read is skipped with a message; the rest is scanned; exit 2', () => {
  it('an unreadable file among readable ones (run as an unprivileged user)', () => {
    const sub = join(dir, 'unreadable');
    mkdirSync(sub);
    chmodSync(sub, 0o755);
    for (const name of ['a-auth.log', 'b-secret.log'])
      writeFileSync(join(sub, name), readFileSync(WEB01_AUTH));
    chmodSync(join(sub, 'a-auth.log'), 0o644);
    chmodSync(join(sub, 'b-secret.log'), 0o000);
    // root reads everything: drop to nobody, as the red team did
    const argv = [process.execPath, CLI, 'scan', sub];
    const run =
      process.getuid?.() === 0
        ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...argv], {
            cwd: REPO,
            encoding: 'utf8',
          })
        : spawnSync(argv[0]!, argv.slice(1), { cwd: REPO, encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain(`cannot read ${join(sub, 'b-secret.log')}: permission denied (EACCES)`);
    expect(uid0(run.stdout)).toHaveLength(web01Alerts);
  });

  it('a symlink back to a scanned directory is a note (exit 0); a dangling symlink and a symlink loop are not readable (exit 2)', () => {
    const loop = join(dir, 'loop');
    mkdirSync(join(loop, 'sub'), { recursive: true });
    writeFileSync(join(loop, 'auth.log'), readFileSync(WEB01_AUTH));
    symlinkSync('.', join(loop, 'self'));
    symlinkSync('..', join(loop, 'sub', 'up'));
    const cycle = tuxwatch(['scan', loop]);
    expect(cycle.status, cycle.stderr).toBe(0);
    expect(cycle.stderr).toContain(`skipped ${join(loop, 'self')}: a directory already scanned`);
    expect(uid0(cycle.stdout)).toHaveLength(web01Alerts);

    symlinkSync('nonexistent', join(loop, 'dangling'));
    symlinkSync('itself', join(loop, 'itself'));
    const broken = tuxwatch(['scan', loop]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain(`cannot read ${join(loop, 'dangling')}: a dangling symlink`);
    expect(broken.stderr).toContain(`cannot read ${join(loop, 'itself')}: a symlink loop (ELOOP)`);
    expect(uid0(broken.stdout)).toHaveLength(web01Alerts);
  });
});

describe('S20/S21: the dead-letter file never overwrites evidence, and its errors are usage errors', () => {
  it('--dead-letter naming an input (directly, through a symlink, or inside a scanned directory) is refused', () => {
    const sub = join(dir, 'evidence');
    mkdirSync(sub);
    const evidence = join(sub, 'auth.log');
    writeFileSync(evidence, readFileSync(WEB01_AUTH));
    const size = statSync(evidence).size;
    symlinkSync(evidence, join(dir, 'link.log'));
    for (const [target, input] of [
      [evidence, evidence],
      [join(dir, 'link.log'), evidence],
      [evidence, sub],
    ]) {
      const run = tuxwatch(['scan', '--dead-letter', target!, input!]);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/is an input .*refusing to write over evidence/);
      expect(statSync(evidence).size).toBe(size);
    }
  });

  it('a dead-letter file that cannot be created: exit 2 with the reason, no stack trace', () => {
    const run = tuxwatch(['scan', '--dead-letter', '/nonexistent/dir/dl.ndjson', WEB01_AUTH]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'tuxwatch: cannot write dead letters to /nonexistent/dir/dl.ndjson: no such file or directory (ENOENT)\n',
    );
  });

  it('a dead-letter path that is a directory: exit 2 with the reason in words', () => {
    const run = tuxwatch(['scan', '--dead-letter', dir, WEB01_AUTH]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`tuxwatch: cannot write dead letters to ${dir}: a directory (EISDIR)\n`);
  });

  it('a full disk under the dead letters (/dev/full): exit 2 with the cause, not the stream’s later complaint', () => {
    const file = join(dir, 'oversize.log');
    writeFileSync(file, `Nov 26 09:11:17 web01 sshd[1]: ${'A'.repeat(200)}\n`);
    const run = tuxwatch(['scan', '--max-record-bytes', '64', '--dead-letter', '/dev/full', file]);
    expect(run.status).toBe(2);
    // ending the stream the failed write destroyed said ERR_STREAM_DESTROYED, which hid the full disk
    expect(run.stderr).toContain(
      'tuxwatch: dead letters could not all be written to /dev/full: no space left on device (ENOSPC)\n',
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('a full disk under stdout (/dev/full)', () => {
  it('the output that cannot be written is said in a line, exit 1, no stack trace', () => {
    const run = spawnSync(process.execPath, [CLI, 'scan', '--host', 'web01', WEB01_AUTH], {
      cwd: REPO,
      encoding: 'utf8',
      stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'],
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('tuxwatch: cannot write to stdout: no space left on device (ENOSPC)\n');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('S12: compressed logs', () => {
  it('gzip is read, named or in a directory (rotated auth.log.2.gz)', () => {
    const sub = join(dir, 'rotated');
    mkdirSync(sub);
    writeFileSync(join(sub, 'auth.log.2.gz'), gzipSync(readFileSync(WEB01_AUTH)));
    for (const input of [sub, join(sub, 'auth.log.2.gz')]) {
      const run = tuxwatch(['scan', input]);
      expect(run.status, run.stderr).toBe(0);
      expect(uid0(run.stdout)).toHaveLength(web01Alerts);
    }
  });

  it('xz, bzip2 and zstd are said to be compressed, with how to read them; exit 2', () => {
    const sub = join(dir, 'compressed');
    mkdirSync(sub);
    const magic: [string, number[]][] = [
      ['auth.log.3.xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2]],
      ['auth.log.4.bz2', [0x42, 0x5a, 0x68, 0x39, 0x31]],
      ['auth.log.5.zst', [0x28, 0xb5, 0x2f, 0xfd, 0x04]],
    ];
    for (const [name, bytes] of magic) writeFileSync(join(sub, name), Buffer.from(bytes));
    const run = tuxwatch(['scan', sub]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      'auth.log.3.xz: compressed with xz, which is not read: `xz -dc FILE | tuxwatch scan -`',
    );
    expect(run.stderr).toContain('auth.log.4.bz2: compressed with bzip2');
    expect(run.stderr).toContain('auth.log.5.zst: compressed with zstd');
  });
});

describe('S03/S10: a stray byte does not hide a record', () => {
  it('a UID 0 useradd with a 0xFF byte or an ESC in its home directory still alerts; the exact bytes are kept', () => {
    for (const name of ['uid0-badbyte.log', 'uid0-ctrlbyte.log']) {
      const file = join(HOSTILE, name);
      const [alert] = uid0(tuxwatch(['scan', file]).stdout);
      expect(alert?.user?.target?.name, name).toBe('toor');
      const raw = readFileSync(file).subarray(0, -1); // without its LF
      if (name === 'uid0-badbyte.log') {
        expect(alert!.event.original).toContain('/root\ufffd,');
        expect(Buffer.from(alert!.tuxwatch.original!.base64, 'base64')).toEqual(raw);
      } else {
        expect(alert!.event.original).toBe(raw.toString('utf8'));
        expect(alert!.tuxwatch.original).toBeUndefined();
      }
    }
  });

  it('a dead letter of invalid UTF-8 keeps its exact bytes', () => {
    const file = join(dir, 'bad-bytes.log');
    const raw = Buffer.from([0x66, 0x6f, 0xff, 0xfe, 0x6f, 0x0a]);
    writeFileSync(file, raw);
    const dl = join(dir, 'bad-bytes.dl');
    tuxwatch(['scan', '--dead-letter', dl, file]);
    const [entry] = deadLetters(dl);
    expect(Buffer.from(entry!.original_base64!, 'base64')).toEqual(raw.subarray(0, -1));
    expect(entry!.size).toBe(5);
  });

  it('S10: hostile host and user names (raw OSC/CSI, bidi, C1, a lone CR, Cyrillic) lose no alert', () => {
    const run = tuxwatch(['scan', '--suppress-window', '0', join(HOSTILE, 'hostile-syslog.log')]);
    expect(run.stderr).not.toMatch(/could not be parsed/);
    const alerts = uid0(run.stdout);
    // one per line of the file: the lone CR keeps its line whole, the raw ESC no longer makes it a dead letter
    expect(alerts.map((a) => a.host.name)).toEqual([
      '\u001b]0;pwned\u001b\\\u001b[2J\u001b[31mweb01',
      'web01\u202egnp.exe',
      'web01',
      'we\rb01',
      'web01',
    ]);
  });
});
