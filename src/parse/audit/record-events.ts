import type { MutableEvent } from '../../domain/event';
import type { ParseContext } from '../../domain/parser';
import { baseEvent } from '../parsers/event-base';
import { decodeValue, isEscapedField } from './audit-fields';
import type { AuditEventView } from './audit-view';
import { auditArch, syscallName } from './syscalls';

/** A record field name usable as a flat event key: no dots (ECS names), no `@`, no `__proto__`. */
const PLAIN_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}(?:\[\d{1,6}\])?$/;
/** field names repeat on every record: their verdict is kept (bounded: names come from the input) */
const plainNames = new Map<string, boolean>();

function isPlain(name: string): boolean {
  let plain = plainNames.get(name);
  if (plain === undefined) {
    plain = PLAIN_NAME.test(name);
    if (plainNames.size >= 4_096) plainNames.clear();
    plainNames.set(name, plain);
  }
  return plain;
}

/**
 * One event per record, for rules written against audit records themselves (Sigma `service: auditd`,
 * as SigmaHQ writes them): the record's own fields under their audit names (`type`, `a0`, `exe`, `comm`,
 * `name`, `nametype`, `key`, `syscall`, …) with hex-encoded values decoded, an EXECVE's arguments whole
 * (continuation records and `aN[i]` parts joined), `proctitle` with its NUL separators as spaces, and the
 * ENRICHED names (`SYSCALL`, `ARCH`, `UID`, …), which tuxwatch fills in itself for RAW logs where it can
 * (`SYSCALL`, `ARCH`). `message` is the record with its values decoded, for keyword searches. The
 * event's shared context is the usual `host.name` and `@timestamp`, and `auditd.event.id` ties the
 * records of one event together; a record's event carries no other record's fields, so a rule counts
 * records, and one match is one record (docs/events.md).
 */
export function recordEvents(view: AuditEventView, ctx: ParseContext): MutableEvent[] {
  const args = view.execArgs();
  const seenArgs = new Set<number>();
  return view.records.map((record) => {
    const event = baseEvent(
      {
        timestamp: new Date(record.time).toISOString(),
        original: record.line,
        kind: 'auditd',
        dataset: 'auditd',
        host: view.host,
      },
      ctx,
    );
    event['auditd.event.id'] = record.id;
    event['type'] = record.type;
    const words: string[] = [`type=${record.type}`];
    for (const f of record.fields) {
      if (f.name === 'type' || !isPlain(f.name)) continue;
      let v = decodeValue(f.raw, isEscapedField(record.type, f.name));
      if (f.name === 'proctitle') v = v.replace(/\0+$/, '').replace(/\0/g, ' ');
      const arg = record.type === 'EXECVE' ? EXECVE_ARGUMENT.exec(f.name) : null;
      if (arg && args !== undefined) {
        const n = Number(arg[1]);
        if (seenArgs.has(n)) continue;
        seenArgs.add(n);
        v = args[n] ?? v;
        event[`a${n}`] = v;
        words.push(`a${n}=${quoted(v)}`);
        continue;
      }
      if (f.name === 'key' && v.includes('\u0001')) {
        event[f.name] = v.split('\u0001');
      } else {
        event[f.name] = v;
      }
      words.push(`${f.name}=${quoted(v)}`);
    }
    for (const f of record.interpreted) {
      if (isPlain(f.name) && event[f.name] === undefined) event[f.name] = decodeValue(f.raw, false);
    }
    // any record naming a syscall on an architecture (SYSCALL, SECCOMP, …) gets the names ENRICHED gives it
    const arch = typeof event['arch'] === 'string' ? auditArch(event['arch']) : undefined;
    if (arch !== undefined) {
      event['ARCH'] ??= arch;
      const name = typeof event['syscall'] === 'string' ? syscallName(arch, event['syscall']) : undefined;
      if (name !== undefined) event['SYSCALL'] ??= name;
    }
    event['message'] = words.join(' ');
    return event;
  });
}

const EXECVE_ARGUMENT = /^a(\d+)(?:\[\d+\])?$/;

const quoted = (v: string): string => (/[\s"]/.test(v) || v === '' ? JSON.stringify(v) : v);
