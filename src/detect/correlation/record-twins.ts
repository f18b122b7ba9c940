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
 * its encoding (`event.module` and `log.syslog.format`), which must differ. The same text twice in one
 * encoding is two occurrences (sshd writes an identical `Failed password` line for each try of one
 * connection, often within a second), so it counts twice, as before. With the whole second instead, a
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
  /** the encoding, as one bit */
  readonly encoding: number;
}

/** encodings told apart: one bit each of a small integer; more than this many are not deduplicated */
const MAX_ENCODINGS = 30;

/**
 * The encodings met so far, by module and format, each given a bit. One table for the process, not one per
 * correlator: a service's reloaded rules get a new correlator over the same windows, whose entries carry
 * bits given before. (Bits are never written out: a snapshot keeps no copies' marks.)
 */
const encodingBits = new Map<string, Map<string, number>>();
let nextBit = 0;

/**
 * The event's fingerprint and encoding, or undefined for an event no copy can be recognised in (no message,
 * or past the encodings this tells apart): it always counts.
 */
export function recordTwin(
  event: Readonly<Record<string, unknown>>,
  time: number,
  host: string,
): RecordTwin | undefined {
  const message = event['message'];
  if (typeof message !== 'string') return undefined;
  const encoding = encodingBit(event['event.module'], event['log.syslog.format']);
  if (encoding === 0) return undefined;
  const pid = event['process.pid'];
  return {
    hash: fingerprint(quarterHourSecond(time), typeof pid === 'number' ? pid : -1, message, host),
    encoding,
  };
}

function encodingBit(module: unknown, format: unknown): number {
  const m = typeof module === 'string' ? module : '';
  const f = typeof format === 'string' ? format : '';
  const known = encodingBits.get(m)?.get(f);
  if (known !== undefined) return known;
  // past the bits, an encoding is not remembered: the names come from the input (an ECS document's
  // event.module), and a million made-up ones must not make a million entries
  if (nextBit >= MAX_ENCODINGS) return 0;
  let formats = encodingBits.get(m);
  if (formats === undefined) {
    formats = new Map();
    encodingBits.set(m, formats);
  }
  const bit = 1 << nextBit++;
  formats.set(f, bit);
  return bit;
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
 * The occurrences counted so far, by fingerprint, each with the encodings it was seen in (bits). A record
 * seen in an encoding none of its counted occurrences was seen in yet is a copy of one of them: that one is
 * marked and the record is not counted again. Otherwise it is an occurrence of its own (a first sighting,
 * or a repeat in the same encoding). Bounded: past `size` occurrences the oldest fingerprints are forgotten,
 * first in first out, and a copy of a forgotten one counts again.
 */
export class CopyIndex {
  /** fingerprint → the encodings of its one occurrence, or of each of its occurrences */
  private readonly seen = new Map<number, number | number[]>();
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
    const { hash, encoding } = twin;
    const known = this.seen.get(hash);
    if (known === undefined) {
      this.seen.set(hash, encoding);
      this.order.push(hash);
      this.grew();
      return false;
    }
    if (typeof known === 'number') {
      if ((known & encoding) === 0) {
        this.seen.set(hash, known | encoding);
        return true;
      }
      this.seen.set(hash, [known, encoding]);
      this.grew();
      return false;
    }
    for (let i = 0; i < known.length; i++) {
      if ((known[i]! & encoding) === 0) {
        known[i] = known[i]! | encoding;
        return true;
      }
    }
    // a flood of one line in one second: its occurrences are counted, the memory of them is not grown
    if (known.length < MAX_OCCURRENCES) {
      known.push(encoding);
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
