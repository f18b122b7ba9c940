import type { IHeaders, KafkaMessage } from 'kafkajs';
import { isInputKind, type InputKind } from '../../domain/input-kind';
import type { RawRecord } from '../../domain/raw-record';
import { isValidZone } from '../../normalize/time';
import { decodeRecord } from '../record-bytes';

/** Where a message sits: its topic, partition and offset. */
export interface MessagePosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export type KafkaRecordResult =
  | { readonly ok: true; readonly record: RawRecord; readonly observedAt: Date }
  | { readonly ok: false; readonly reason: string; readonly original: string };

/**
 * A Kafka message as a record (CONTRACT §4): the value is the record; `host`, `timezone` and `source`
 * headers override the defaults; the key names the host when the record and headers do not. A bad header
 * is the record's fault, so it is dead-lettered rather than guessed around.
 */
export function recordFromMessage(
  message: KafkaMessage,
  position: MessagePosition,
  topicKind: InputKind | undefined,
  topicZone?: string,
): KafkaRecordResult {
  const { text, base64 } = message.value ? decodeRecord(message.value) : { text: '', base64: undefined };
  const headers = message.headers ?? {};
  const zone = header(headers, 'timezone');
  if (zone !== undefined && !isValidZone(zone)) {
    return { ok: false, reason: `timezone header "${zone}" is not an IANA zone`, original: text };
  }
  const source = header(headers, 'source');
  if (source !== undefined && source !== 'auto' && !isInputKind(source)) {
    return { ok: false, reason: `source header "${source}" is not an input kind`, original: text };
  }
  const key = message.key?.toString('utf8');
  const host = header(headers, 'host') ?? (key ? key : undefined);
  const kind = source !== undefined && source !== 'auto' ? (source as InputKind) : topicKind;
  const ts = Number(message.timestamp);
  return {
    ok: true,
    record: {
      text,
      bytes: message.value?.length ?? 0,
      ...(base64 !== undefined && { base64 }),
      origin: { type: 'kafka', ...position },
      host,
      timezone: zone,
      sourceTimezone: topicZone,
      kind,
    },
    observedAt: Number.isFinite(ts) && ts > 0 ? new Date(ts) : new Date(),
  };
}

function header(headers: IHeaders, name: string): string | undefined {
  const v = headers[name];
  const first = Array.isArray(v) ? v[0] : v;
  if (first === undefined) return undefined;
  const s = first.toString().trim();
  return s === '' ? undefined : s;
}
