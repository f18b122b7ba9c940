import type { Scalar } from '../../domain/event';
import { decodeValue, isEscapedField } from './audit-fields';
import type { AuditRecord } from './audit-line';
import { auditArch, syscallName, type AuditArch } from './syscalls';

/** `auid`/`ses` of a process that never logged in: (uint32)-1 */
const UNSET = new Set(['4294967295', '-1']);

/** A field's value, decoded (quotes removed, hex of escaped fields decoded); undefined when absent. */
export function value(record: AuditRecord | undefined, name: string): string | undefined {
  if (record === undefined) return undefined;
  for (const f of record.fields)
    if (f.name === name) return decodeValue(f.raw, isEscapedField(record.type, f.name));
  return undefined;
}

/** A resolved (ENRICHED) field's value, quotes removed. */
export function interpreted(record: AuditRecord | undefined, name: string): string | undefined {
  if (record === undefined) return undefined;
  for (const f of record.interpreted) if (f.name === name) return decodeValue(f.raw, false);
  return undefined;
}

/** A value that names something: absent for `(null)`, `(none)`, `?` and empty. */
export function meaningful(v: string | undefined): string | undefined {
  return v === undefined || v === '' || v === '?' || v === '(null)' || v === '(none)' ? undefined : v;
}

/** A login uid or session id, absent when unset. */
export const setId = (v: string | undefined): string | undefined =>
  v === undefined || UNSET.has(v) || !/^\d{1,10}$/.test(v) ? undefined : v;

/** The records of one assembled event, with what the ECS mappers ask of them. */
export class AuditEventView {
  readonly syscall: AuditRecord | undefined;
  readonly arch: AuditArch | undefined;
  /** the syscall's name (`execve`), from ENRICHED's `SYSCALL=` or the architecture's table */
  readonly syscallName: string | undefined;

  constructor(
    readonly host: string,
    readonly records: readonly AuditRecord[],
  ) {
    this.syscall = records.find((r) => r.type === 'SYSCALL');
    this.arch = this.syscall ? auditArch(value(this.syscall, 'arch') ?? '') : undefined;
    const nr = value(this.syscall, 'syscall');
    this.syscallName =
      interpreted(this.syscall, 'SYSCALL') ?? (nr !== undefined ? syscallName(this.arch, nr) : undefined);
  }

  get time(): number {
    return this.records[0]!.time;
  }

  first(type: string): AuditRecord | undefined {
    return this.records.find((r) => r.type === type);
  }

  all(type: string): AuditRecord[] {
    return this.records.filter((r) => r.type === type);
  }

  /** The syscall succeeded (`success=yes`); undefined for events without a SYSCALL record. */
  get succeeded(): boolean | undefined {
    const s = value(this.syscall, 'success');
    return s === undefined ? undefined : s === 'yes';
  }

  /** SYSCALL argument `aN` as a number (the kernel writes them in hex). */
  argument(n: number): number | undefined {
    const v = value(this.syscall, `a${n}`);
    return v !== undefined && /^[0-9a-f]{1,16}$/i.test(v) ? parseInt(v, 16) : undefined;
  }

  /** The working directory (CWD record). */
  get cwd(): string | undefined {
    return meaningful(value(this.first('CWD'), 'cwd'));
  }

  /**
   * The argument vector of an EXECVE: `aN="…"` or hex, across continuation records, with arguments the
   * kernel split into `aN_len=` and `aN[i]=` parts joined again.
   */
  execArgs(): string[] | undefined {
    const records = this.all('EXECVE');
    if (records.length === 0) return undefined;
    const args: string[] = [];
    for (const record of records) {
      for (const f of record.fields) {
        const m = /^a(\d+)(?:\[(\d+)\])?$/.exec(f.name);
        if (!m) continue;
        const i = Number(m[1]);
        if (i > 100_000) continue;
        const part = decodeValue(f.raw, true);
        args[i] = m[2] === undefined || m[2] === '0' ? part : (args[i] ?? '') + part;
      }
    }
    for (let i = 0; i < args.length; i++) args[i] ??= '';
    return args;
  }

  /** The process fields every syscall event shares (ECS, with Auditbeat's user.* layout). */
  subject(): Record<string, Scalar> {
    const s = this.syscall;
    const out: Record<string, Scalar> = {};
    if (s === undefined) return out;
    const num = (name: string): number | undefined => {
      const v = value(s, name);
      return v !== undefined && /^\d{1,10}$/.test(v) ? Number(v) : undefined;
    };
    const put = (field: string, v: Scalar | undefined): void => {
      if (v !== undefined) out[field] = v;
    };
    put('process.pid', num('pid'));
    put('process.parent.pid', num('ppid'));
    put('process.name', meaningful(value(s, 'comm')));
    put('process.executable', meaningful(value(s, 'exe')));
    const ids: [string, string, string][] = [
      ['uid', 'UID', 'user'],
      ['euid', 'EUID', 'user.effective'],
      ['suid', 'SUID', 'user.saved'],
      ['fsuid', 'FSUID', 'user.filesystem'],
      ['gid', 'GID', 'group'],
      ['egid', 'EGID', 'user.effective.group'],
      ['sgid', 'SGID', 'user.saved.group'],
      ['fsgid', 'FSGID', 'user.filesystem.group'],
    ];
    for (const [raw, resolved, prefix] of ids) {
      put(`${prefix}.id`, setId(value(s, raw)));
      put(`${prefix}.name`, meaningful(interpreted(s, resolved)));
    }
    const auid = setId(value(s, 'auid'));
    put('user.audit.id', auid);
    if (auid !== undefined) put('user.audit.name', meaningful(interpreted(s, 'AUID')));
    put('auditd.session', setId(value(s, 'ses')));
    put('process.tty.name', meaningful(value(s, 'tty')));
    return out;
  }

  /** The rule keys (`-k`), several when a rule has more than one (0x01-separated). */
  keys(): string[] {
    const k = meaningful(value(this.syscall, 'key'));
    return k === undefined ? [] : k.split('\u0001').filter((x) => x !== '');
  }
}
