import { quarterHourSecond } from '../../domain/event';

/**
 * One record seen in several encodings. rsyslog commonly writes the same message to more than one file — a
 * classic auth.log, an RFC 5424 or ISO 8601 copy, a JSON feed for the SIEM — and a responder scans the whole
 * directory. Every copy is an event, and each used to count in the correlation windows: an attempt in four
 * encodings counted four times, enough for `account-brute-force` (ten per account) where the attacker made
 * three attempts. Rules without correlation need nothing of this: their alerts fold by finding.
 *
 * A copy is known by what every encoding keeps of a record: its host, the second it was written in — as
 * the second within its quarter hour (quarterHourSecond), which auth.log's copy keeps even where it was read
 * in the wrong zone, pass through a repeated hour or year — the process id and the message, hashed; and by
 * where it was read — its encoding (`event.module` and `log.syslog.format`) and, in `scan`, its file — which
 * must differ. The same text twice in one file and encoding is two occurrences (sshd writes an identical
 * `Failed password` line for each try of one connection, often within a second), so it counts twice; the
 * same record in two files of one encoding (auth.log, and a copy of it collected earlier or elsewhere) is a
 * copy: a directory holding web01's auth.log twice raised account-brute-force for three tries, and
 * counted every brute force twice. With the whole second instead, a
 * generated scenario in New York's repeated hour (auth.log read as the first pass, its copies exact) had
 * every failed login count twice, and account-brute-force fired on three tries. What the quarter hour gives
 * up: two records of one process, host and text a whole number of quarter hours apart, each seen in only
 * one encoding and not the same one, count once (sshd's pid is one connection's, and its lines name ports).
 *
 * Copies are looked up in a memory of fingerprints of its own (CopyIndex), not in the correlation windows:
 * `scan` reads a directory file by file, so a copy comes after its whole file was read — days later in the
 * log's time, long after its original left every window.
 */
export interface RecordTwin {
  /** the fingerprint: host, second within the quarter hour, pid and message, hashed (53 bits: no string kept) */
  readonly hash: number;
  /** where it was read: its encoding, and the file when the caller names one (a number from 1) */
  readonly channel: number;
}

/** encodings told apart; events of any more are not deduplicated */
const MAX_ENCODINGS = 30;

/**
 * The channels met so far, by encoding (module and format) and file, each given a number. One table for
 * the process, not one per correlator: a service's reloaded rules get a new correlator over the same
 * windows, whose entries carry numbers given before. (They are never written out: a snapshot keeps no
 * copies' marks.) Files are named by `scan`, from the paths it reads, never by the input.
 */
const encodings = new Map<string, Map<string, Map<string, number>>>();
let encodingCount = 0;
let nextChannel = 1;

/**
 * The event's fingerprint and channel, or undefined for an event no copy can be recognised in (no message,
 * or past the encodings this tells apart): it always counts. `file`: the file its record was read from.
 */
export function recordTwin(
  event: Readonly<Record<string, unknown>>,
  time: number,
  host: string,
  file = '',
): RecordTwin | undefined {
  const message = event['message'];
  if (typeof message !== 'string') return undefined;
  const channel = channelOf(event['event.module'], event['log.syslog.format'], file);
  if (channel === 0) return undefined;
  const pid = event['process.pid'];
  return {
    hash: fingerprint(quarterHourSecond(time), typeof pid === 'number' ? pid : -1, message, host),
    channel,
  };
}

function channelOf(module: unknown, format: unknown, file: string): number {
  const m = typeof module === 'string' ? module : '';
  const f = typeof format === 'string' ? format : '';
  let formats = encodings.get(m);
  let files = formats?.get(f);
  if (files === undefined) {
    // past the bound, an encoding is not remembered: the names come from the input (an ECS document's
    // event.module), and a million made-up ones must not make a million entries
    if (encodingCount >= MAX_ENCODINGS) return 0;
    encodingCount++;
    if (formats === undefined) encodings.set(m, (formats = new Map()));
    formats.set(f, (files = new Map()));
  }
  let channel = files.get(file);
  if (channel === undefined) files.set(file, (channel = nextChannel++));
  return channel;
}

/**
 * A 53-bit hash of a record's second, pid, message and host (cyrb53, public domain, bryc): two 32-bit
 * lanes, so that two different records collide about once in 2^53 comparisons.
 */
export function fingerprint(second: number, pid: number, message: string, host = ''): number {
  let h1 = 0xdeadbeef ^ second;
  let h2 = 0x41c6ce57 ^ pid;
  for (let i = 0; i < message.length; i++) {
    const ch = message.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  // the host after the message, behind a separator no message holds (a line break ends a record)
  if (host !== '') {
    h1 = Math.imul(h1 ^ 10, 2654435761);
    h2 = Math.imul(h2 ^ 10, 1597334677);
    for (let i = 0; i < host.length; i++) {
      const ch = host.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Occurrences remembered by default (a service's copies arrive within seconds): about 20 MB at most. */
export const COPY_INDEX_SIZE = 1 << 18;

/**
 * The channels one occurrence was seen in: the first 30 channels as bits of a number (a directory rarely
 * has more files that feed a correlation, and two million records in four copies take 106 MB so, 634 MB
 * as lists), any later ones as a list of their numbers.
 */
type Occurrence = number | number[];

const BIT_CHANNELS = 30;

const single = (channel: number): Occurrence => (channel <= BIT_CHANNELS ? 1 << (channel - 1) : [channel]);

/** A fingerprint's one occurrence as the index holds it: a number while it is bits, else a list of one. */
const listed = (o: Occurrence): number | Occurrence[] => (typeof o === 'number' ? o : [o]);

function seenIn(o: Occurrence, channel: number): boolean {
  if (typeof o !== 'number') return o.includes(channel);
  return channel <= BIT_CHANNELS && (o & (1 << (channel - 1))) !== 0;
}

function alsoIn(o: Occurrence, channel: number): Occurrence {
  if (typeof o !== 'number') return [...o, channel];
  if (channel <= BIT_CHANNELS) return o | (1 << (channel - 1));
  const channels = [channel];
  for (let c = 1; c <= BIT_CHANNELS; c++) if ((o & (1 << (c - 1))) !== 0) channels.push(c);
  return channels;
}

/**
 * The occurrences counted so far, by fingerprint, each with the channels it was seen in. A record seen in
 * a channel one of its counted occurrences was not seen in yet is a copy of that one: it is marked and the
 * record is not counted again. Otherwise it is an occurrence of its own (a first sighting, or a repeat in
 * the same file and encoding). Bounded: past `size` occurrences the oldest fingerprints are forgotten,
 * first in first out, and a copy of a forgotten one counts again.
 */
export class CopyIndex {
  /** fingerprint → its one occurrence as bits (most records: a number, no array), or its occurrences */
  private readonly seen = new Map<number, number | Occurrence[]>();
  /**
   * fingerprints in the order they were first counted, the oldest at `head`: forgetting the oldest by the
   * map's own order (`keys().next()`) walked every hole earlier deletes had left, 75 µs per record once full
   */
  private order: number[] = [];
  private head = 0;
  /** occurrences held (a fingerprint's repeats each count): what `size` bounds */
  private held = 0;

  constructor(private readonly size = COPY_INDEX_SIZE) {}

  /** Whether `twin` is a copy of an occurrence counted before; records it either way. */
  isCopy(twin: RecordTwin): boolean {
    const { hash, channel } = twin;
    const known = this.seen.get(hash);
    if (known === undefined) {
      this.seen.set(hash, listed(single(channel)));
      this.order.push(hash);
      this.grew();
      return false;
    }
    if (typeof known === 'number') {
      if (seenIn(known, channel)) {
        this.seen.set(hash, [known, single(channel)]);
        this.grew();
        return false;
      }
      this.seen.set(hash, listed(alsoIn(known, channel)));
      return true;
    }
    for (let i = 0; i < known.length; i++) {
      if (!seenIn(known[i]!, channel)) {
        known[i] = alsoIn(known[i]!, channel);
        return true;
      }
    }
    // a flood of one line in one second: its occurrences are counted, the memory of them is not grown
    if (known.length < MAX_OCCURRENCES) {
      known.push(single(channel));
      this.grew();
    }
    return false;
  }

  /** occurrences held, for tests */
  get occurrences(): number {
    return this.held;
  }

  /** One more occurrence held: the oldest fingerprints go while there are more than `size`. */
  private grew(): void {
    this.held++;
    while (this.held > this.size && this.head < this.order.length) {
      const oldest = this.order[this.head++]!;
      const known = this.seen.get(oldest);
      if (known === undefined) continue;
      this.held -= typeof known === 'number' ? 1 : known.length;
      this.seen.delete(oldest);
    }
    if (this.head >= 4096 && this.head * 2 >= this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
}

/** occurrences of one fingerprint told apart, at most (identical lines of one second and process) */
const MAX_OCCURRENCES = 64;
