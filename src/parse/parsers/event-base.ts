import type { MutableEvent } from '../../domain/event';
import type { InputKind } from '../../domain/input-kind';
import type { ParseContext } from '../../domain/parser';

export type Dataset = 'syslog' | 'auth' | 'file_integrity' | 'socket' | 'process' | 'osquery' | 'auditd';

export interface BaseFields {
  readonly timestamp: string;
  readonly original: string;
  readonly kind: InputKind;
  readonly dataset: string;
  /** host.name the record names itself; ctx.host and then `unknown` fill in */
  readonly host?: string;
  /** the IANA zone applied to an offset-less time, when one was */
  readonly timezone?: string;
}

/** The "Always present" fields of docs/events.md. */
export function baseEvent(fields: BaseFields, ctx: ParseContext): MutableEvent {
  const event: MutableEvent = {
    '@timestamp': fields.timestamp,
    'event.original': fields.original,
    'event.kind': 'event',
    'event.module': fields.kind,
    'event.dataset': fields.dataset,
    'host.name': nonEmpty(fields.host) ?? nonEmpty(ctx.host) ?? 'unknown',
  };
  if (fields.timezone !== undefined) event['event.timezone'] = fields.timezone;
  return event;
}

/** When a snapshot (ss, lsof, ps) was observed: the transport's time, handed in as ctx.now. */
export const observedAt = (ctx: ParseContext): string => ctx.now.toISOString();

const nonEmpty = (s: string | undefined): string | undefined =>
  s !== undefined && s.trim() !== '' ? s : undefined;

/** A string, or a number written as a string; anything else is undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A non-negative integer given as number or digit string. */
export function integer(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

/** basename of a path or argv0 (`/usr/sbin/sshd` -> `sshd`); the input itself when it has no slash. */
export function basename(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const i = trimmed.lastIndexOf('/');
  return i >= 0 ? trimmed.slice(i + 1) : trimmed;
}

/** file.path, file.name, file.directory of a path (no normalisation: `/var/tmp/. ` keeps its space). */
export function pathFields(path: string): Record<string, string> {
  const i = path.lastIndexOf('/');
  const fields: Record<string, string> = {
    'file.path': path,
    'file.name': i >= 0 ? path.slice(i + 1) : path,
  };
  if (i > 0) fields['file.directory'] = path.slice(0, i);
  else if (i === 0 && path.length > 1) fields['file.directory'] = '/';
  return fields;
}
