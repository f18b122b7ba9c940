import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../../../src/parse/parse-record';
import {
  continuesSudoLogEntry,
  isWrappedSudoLogEntry,
  unwrapSudoLogEntry,
} from '../../../../src/parse/syslog/sudo-log-file';
import { ndjson, tuxwatch } from '../../../support/cli';
import { eventOf, fixtureLines } from './auth-lines';

const FIXTURES = join(__dirname, '../../../fixtures/auth');

/** sudo's regress output: `# word wrap at N characters` (or `disabled`), then the entry as written. */
function wrapBlocks(): { width: string; text: string }[] {
  const blocks: { width: string; lines: string[] }[] = [];
  for (const line of readFileSync(join(FIXTURES, 'sudo-logwrap/check_wrap.out.ok'), 'utf8').split('\n')) {
    if (line.startsWith('# ')) blocks.push({ width: line.slice(2), lines: [] });
    else if (line !== '') blocks.at(-1)!.lines.push(line);
  }
  return blocks.map((b) => ({ width: b.width, text: b.lines.join('\n') }));
}

const ENTRIES = fixtureLines('sudo-logwrap/check_wrap.in').filter((l) => !/^[\d,-]+$/.test(l));

describe("sudo's own log file, wrapped at loglinelen (sudo's logwrap regress output)", () => {
  const blocks = wrapBlocks();

  it('every wrapping of both entries, 60 to 140 columns, unwraps to the entry sudo composed', () => {
    expect(blocks.length).toBeGreaterThan(40);
    for (const { width, text } of blocks) {
      const entry = ENTRIES.find((e) => e.startsWith(text.slice(0, 15)))!;
      expect(unwrapSudoLogEntry(text), width).toBe(entry);
      expect(isWrappedSudoLogEntry(text), width).toBe(text.includes('\n'));
    }
  });

  it('a wrapped entry means what the unwrapped one means, whichever line the command or a field was cut at', () => {
    const facts = (text: string) => {
      const e = eventOf(text);
      const { 'event.original': original, ...rest } = e;
      expect(original).toBe(text); // the lines exactly as the file had them
      return rest;
    };
    for (const { width, text } of blocks) {
      const entry = ENTRIES.find((e) => e.startsWith(text.slice(0, 15)))!;
      expect(facts(text), width).toEqual(facts(entry));
    }
    expect(eventOf(ENTRIES[0]!)).toMatchObject({
      'event.outcome': 'failure',
      'event.reason': 'command not allowed',
      'process.command_line': '/opt/quest/bin/vastool list users',
    });
  });

  it('a continuation line read on its own is dead-lettered saying what it is, sniffed or bound to syslog', () => {
    const lone = blocks.find((b) => b.width === 'word wrap at 80 characters')!.text.split('\n')[1]!;
    for (const kind of [undefined, 'syslog' as const]) {
      const r = parseRecord(
        { text: lone, kind, origin: { type: 'file', path: 'sudo.log', line: 2 } },
        { timezone: 'UTC', maxRecordBytes: 1 << 20 },
        new Date('2026-11-27T18:00:00Z'),
      );
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toMatch(
        /^syslog: continuation line of a wrapped sudo log-file entry .* loglinelen/,
      );
    }
  });

  it('only an indented line after a sudo log-file entry continues it', () => {
    const [head, next] = fixtureLines('lab-sudo.log');
    expect(continuesSudoLogEntry(head!, '    COMMAND=/usr/bin/id')).toBe(true);
    expect(continuesSudoLogEntry(head!, next!)).toBe(false); // the next entry
    expect(continuesSudoLogEntry(head!, '     two spaces too many')).toBe(false);
    expect(continuesSudoLogEntry('Nov 27 17:44:52 lab-auth su[316]: x', '    COMMAND=/usr/bin/id')).toBe(
      false,
    );
  });
});

describe('scan reads the lab sudo 1.9.13p3 log file (80 columns) whole', () => {
  it('each entry is one event with its command, no line is dead-lettered, event.original keeps the lines', () => {
    const deadLetters = join(mkdtempSync(join(tmpdir(), 'tw-sudo-')), 'dead.ndjson');
    const run = tuxwatch([
      'scan',
      '--emit',
      'events',
      '--timezone',
      'UTC',
      '--dead-letter',
      deadLetters,
      join(FIXTURES, 'lab-sudo.log'),
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(deadLetters, 'utf8')).toBe('');
    type Event = {
      event: { outcome: string; original: string };
      process: { command_line?: string };
      user: { target?: { name?: string } };
    };
    const events = ndjson<Event>(run.stdout);
    expect(events.map((e) => [e.event.outcome, e.process.command_line?.split(' ')[0]])).toEqual([
      ['success', '/usr/bin/id'],
      ['failure', '/usr/bin/id'],
      ['failure', '/usr/bin/id'],
      ['success', '/bin/echo'],
      ['failure', '/usr/bin/id'],
    ]);
    const echo = events[3]!;
    expect(echo.process.command_line!.split(' ').filter((w) => w === 'word')).toHaveLength(200);
    expect(echo.event.original.split('\n')).toHaveLength(16);
    expect(events.every((e) => e.user.target?.name === 'root')).toBe(true);
  }, 30_000);
});
