import type { MutableEvent } from '../../domain/event';
import type { ParseContext } from '../../domain/parser';
import { wallClockToUtc } from '../../normalize/time';
import { baseEvent, basename } from '../parsers/event-base';
import { SHADOW_UTILS } from '../auth/shadow-utils';
import { ACCOUNT_TYPES, accountEvent } from './account-events';
import type { AuditRecord } from './audit-line';
import { AuditEventView, value } from './audit-view';
import { copiesTimes, readCommand, touchTime, type Command } from './commands';
import type { ExecMemory } from './exec-memory';
import { fileEvents, resolve, type TimesSet } from './file-events';
import { networkEvent } from './network-events';
import { isExec, isExit, processEvent } from './process-events';
import { recordEvents } from './record-events';
import { SESSION_TYPES, sessionEvent } from './session-events';

/** Programs whose later records ExecMemory must be able to read in the light of their command line. */
const REMEMBERED = new Set([...SHADOW_UTILS, 'touch']);

/**
 * The normalize step for one assembled audit event: one event per record (for `service: auditd` rules,
 * dataset `auditd`), and the ECS events its records mean — a process start or end, file changes, a
 * listening or connected socket, an account change, an authentication or session step — in the shapes the
 * other sources give them, so the same rules see them. `memory` follows execs per host (see ExecMemory).
 */
export function auditEvents(
  host: string,
  records: readonly AuditRecord[],
  ctx: ParseContext,
  memory: ExecMemory,
): MutableEvent[] {
  const view = new AuditEventView(host, records);
  const out = recordEvents(view, ctx);
  const original = records.map((r) => r.line).join('\n');
  const keys = view.keys();
  const newEvent = (dataset: string): MutableEvent => {
    const event = baseEvent(
      { timestamp: new Date(view.time).toISOString(), original, kind: 'auditd', dataset, host },
      ctx,
    );
    event['auditd.event.id'] = records[0]!.id;
    if (keys.length > 0) event['tags'] = keys;
    return event;
  };
  if (view.syscall !== undefined) {
    const pid = view.subject()['process.pid'];
    const started = processEvent(view, newEvent('process'));
    if (started !== undefined) out.push(started);
    if (typeof pid === 'number') follow(view, memory, host, pid);
    const socket = networkEvent(view, newEvent('socket'));
    if (socket !== undefined) out.push(socket);
    out.push(
      ...fileEvents(
        view,
        () => newEvent('file_integrity'),
        () => timesSet(view, memory, host, ctx),
      ),
    );
  }
  for (const record of records) {
    if (ACCOUNT_TYPES.has(record.type)) {
      const change = accountEvent(record, newEvent('auth'), commandOf(record, memory, host));
      if (change !== undefined) {
        out.push(change);
        continue;
      }
    }
    if (SESSION_TYPES.has(record.type)) {
      const step = sessionEvent(record, newEvent('auth'));
      if (step !== undefined) out.push(step);
    }
  }
  return out;
}

function follow(view: AuditEventView, memory: ExecMemory, host: string, pid: number): void {
  if (isExit(view)) {
    memory.forget(host, pid);
    return;
  }
  if (!isExec(view)) return;
  const args = view.execArgs();
  const exe = value(view.syscall, 'exe');
  const program = basename(exe ?? args?.[0] ?? '');
  const cwd = view.cwd;
  if (args !== undefined && REMEMBERED.has(program))
    memory.remember(host, pid, {
      args,
      ...(exe !== undefined && { executable: exe }),
      ...(cwd !== undefined && { cwd }),
      time: view.time,
    });
  else memory.forget(host, pid);
}

function commandOf(record: AuditRecord, memory: ExecMemory, host: string): Command | undefined {
  const pid = value(record, 'pid');
  if (pid === undefined || !/^\d{1,10}$/.test(pid)) return undefined;
  const exec = memory.recall(host, Number(pid), record.time);
  return exec ? readCommand(exec.args) : undefined;
}

/** The times a utimensat set, when its process is a `touch` whose command says them. */
function timesSet(
  view: AuditEventView,
  memory: ExecMemory,
  host: string,
  ctx: ParseContext,
): TimesSet | undefined {
  const pid = value(view.syscall, 'pid');
  if (pid === undefined || !/^\d{1,10}$/.test(pid)) return undefined;
  const exec = memory.recall(host, Number(pid), view.time);
  const command = exec ? readCommand(exec.args) : undefined;
  if (command === undefined || command.program !== 'touch') return undefined;
  const paths = command.operands.flatMap((o) => resolve(o, exec?.cwd) ?? []);
  if (copiesTimes(command)) return { copied: true, paths };
  const mtime = touchTime(command, view.time, (wall) => {
    const iso = wallClockToUtc(wall, ctx.timezone, ctx.now);
    return iso === undefined ? undefined : Date.parse(iso);
  });
  return { ...(mtime !== undefined && { mtime }), paths };
}
