import { quarterHourSecond, timestampMs, type FieldValue } from '../domain/event';

type Fields = Readonly<Record<string, FieldValue | undefined>>;

/**
 * Of two occurrences of one finding, the one that says exactly when its record was written, when the two
 * are one record told twice and the other's instant was guessed: 'held' or 'repeat', else undefined.
 *
 * auth.log's lines carry no zone (`event.timezone` says which one they were read in) and the RFC 5424, ISO
 * 8601 and JSON copies rsyslog writes of the same record do. In the hour clocks go back, auth.log's wall
 * clock is read as the first pass (normalize/time.ts), and a mistaken `--timezone` or year misplaces every
 * line: a generated scenario in New York's repeated hour had its UID 0 account at 05:20:26 UTC from auth.log
 * while the three copies said 06:20:26.612. A copy is known as correlation knows it (record-twins.ts): the
 * same process and the same second within the quarter hour (quarterHourSecond); one of the two read in an
 * assumed zone, the other not.
 */
export function exactOccurrence(held: Fields, repeat: Fields): 'held' | 'repeat' | undefined {
  const heldGuessed = held['event.timezone'] !== undefined;
  if (heldGuessed === (repeat['event.timezone'] !== undefined)) return undefined;
  const pid = held['process.pid'];
  if (typeof pid !== 'number' || pid !== repeat['process.pid']) return undefined;
  const a = timestampMs(String(held['@timestamp']));
  const b = timestampMs(String(repeat['@timestamp']));
  if (!Number.isFinite(a) || !Number.isFinite(b) || quarterHourSecond(a) !== quarterHourSecond(b))
    return undefined;
  return heldGuessed ? 'repeat' : 'held';
}
