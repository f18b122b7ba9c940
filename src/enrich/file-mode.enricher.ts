import type { Enricher } from '../domain/enricher';
import type { EnrichedFields } from '../domain/field-catalogue';
import type { SiemEvent } from '../domain/event';
import { flag, holds, hostOf, integer, text, time, withFields } from './event-fields';
import type { FileRecord, HostState } from './state/host-state';

/**
 * How far mtime may sit from ctime on a file whose mtime was just set before it counts as back- (or
 * forward-) dated. A write sets both to "now"; `touch -d`/`touch -r` set mtime to anything but cannot set
 * ctime, which becomes "now". A day keeps clock skew, DST mistakes and slow copies out.
 */
export const TIMESTOMP_THRESHOLD_MS = 24 * 60 * 60 * 1000;

interface Bits {
  readonly setuid?: boolean;
  readonly setgid?: boolean;
}

const FILE_FACTS: EnrichedFields = {
  name: 'file history',
  datasets: ['file_integrity'],
  requires: ['file.path'],
  adds: [
    'tuxwatch.file.gained_setuid',
    'tuxwatch.file.gained_setgid',
    'tuxwatch.file.shrunk',
    'tuxwatch.file.timestomped',
  ],
};

/**
 * File-integrity facts that need the previous state of a file:
 * - `tuxwatch.file.gained_setuid` / `gained_setgid`: the file has the bit now and did not before — the
 *   previous mode is the event's own (`tuxwatch.file.previous.*`), else the last one this host reported,
 *   else "none" for a created file, or for a row newly `added` to osquery's suid_bin inventory after its
 *   first run. Absent when the past is unknown (e.g. an Auditbeat `attributes_modified` on a file never
 *   seen before).
 * - `tuxwatch.file.timestomped`: on a created file, or one whose mtime changed, mtime is more than
 *   TIMESTOMP_THRESHOLD_MS before (or after) ctime. `chmod`/`chown` change only ctime, so they are not
 *   counted unless the mtime changed too.
 * - `tuxwatch.file.shrunk`: the file is smaller than the source saw it before (a log truncated or emptied
 *   in place, which rotation does not do: it renames and starts a new file).
 */
export class FileModeEnricher implements Enricher {
  readonly fields = FILE_FACTS;

  constructor(private readonly state?: HostState) {}

  enrich(event: SiemEvent): SiemEvent {
    if (event['event.dataset'] !== 'file_integrity') return event;
    const path = text(event, 'file.path');
    if (path === undefined) return event;
    const host = hostOf(event);
    if (holds(event, 'event.type', 'deletion')) {
      this.state?.deleteFile(host, path);
      return event;
    }
    const known = this.state?.file(host, path);
    const created = holds(event, 'event.type', 'creation');
    const now = currentBits(event);
    const before = previousBits(event, known, created);
    const facts: Record<string, boolean> = {};
    if (now.setuid !== undefined && before.setuid !== undefined)
      facts['tuxwatch.file.gained_setuid'] = now.setuid && !before.setuid;
    if (now.setgid !== undefined && before.setgid !== undefined)
      facts['tuxwatch.file.gained_setgid'] = now.setgid && !before.setgid;
    const size = integer(event, 'file.size');
    const previousSize = integer(event, 'tuxwatch.file.previous.size');
    if (size !== undefined && previousSize !== undefined) facts['tuxwatch.file.shrunk'] = size < previousSize;
    const stomped = timestomped(event, known, created);
    if (stomped !== undefined) facts['tuxwatch.file.timestomped'] = stomped;
    this.remember(host, path, event, known, now);
    return withFields(event, facts);
  }

  private remember(host: string, path: string, event: SiemEvent, known: FileRecord | undefined, now: Bits) {
    if (this.state === undefined) return;
    const mode = text(event, 'file.mode');
    const mtime = text(event, 'file.mtime');
    if (mode === undefined && mtime === undefined && now.setuid === undefined && now.setgid === undefined)
      return;
    this.state.putFile(host, path, {
      ...known,
      ...(mode !== undefined && { mode }),
      ...(mtime !== undefined && { mtime }),
      ...(now.setuid !== undefined && { setuid: now.setuid }),
      ...(now.setgid !== undefined && { setgid: now.setgid }),
    });
  }
}

/** The bits the file has now: the booleans when the source gave them, else from the octal mode. */
function currentBits(event: SiemEvent): Bits {
  return bitsOf(flag(event, 'file.setuid'), flag(event, 'file.setgid'), text(event, 'file.mode'));
}

function previousBits(event: SiemEvent, known: FileRecord | undefined, created: boolean): Bits {
  const own = bitsOf(
    flag(event, 'tuxwatch.file.previous.setuid'),
    flag(event, 'tuxwatch.file.previous.setgid'),
    text(event, 'tuxwatch.file.previous.mode'),
  );
  if (own.setuid !== undefined || own.setgid !== undefined) return own;
  if (created || newInInventory(event)) return { setuid: false, setgid: false };
  if (known !== undefined) return bitsOf(known.setuid, known.setgid, known.mode);
  return {};
}

function bitsOf(setuid: boolean | undefined, setgid: boolean | undefined, mode: string | undefined): Bits {
  const m = mode !== undefined && /^[0-7]{3,4}$/.test(mode) ? parseInt(mode, 8) : undefined;
  return {
    setuid: setuid ?? (m === undefined ? undefined : (m & 0o4000) !== 0),
    setgid: setgid ?? (m === undefined ? undefined : (m & 0o2000) !== 0),
  };
}

/**
 * osquery's suid_bin is an inventory: a row `added` since the previous run is a file that did not have
 * the bit then. The first run (counter 0) reports every existing file as added, so it proves nothing.
 */
function newInInventory(event: SiemEvent): boolean {
  return (
    event['event.module'] === 'osquery' &&
    event['osquery.permissions'] !== undefined &&
    event['tuxwatch.osquery.diff'] === 'added' &&
    (integer(event, 'tuxwatch.osquery.counter') ?? 0) > 0
  );
}

function timestomped(event: SiemEvent, known: FileRecord | undefined, created: boolean): boolean | undefined {
  // an inventory row (a collect snapshot) is no change: its mtime moved because a package was upgraded,
  // which keeps the archive's mtime; the collector judges those files itself (timestomp-hint)
  if (holds(event, 'event.type', 'info')) return undefined;
  const mtime = time(event, 'file.mtime');
  const ctime = time(event, 'file.ctime');
  if (mtime === undefined || ctime === undefined) return undefined;
  if (!created && !mtimeChanged(event, known)) return undefined;
  return Math.abs(ctime - mtime) > TIMESTOMP_THRESHOLD_MS;
}

function mtimeChanged(event: SiemEvent, known: FileRecord | undefined): boolean {
  if (holds(event, 'tuxwatch.file.changed', 'mtime')) return true;
  const previous = text(event, 'tuxwatch.file.previous.mtime') ?? known?.mtime;
  return previous !== undefined && previous !== event['file.mtime'];
}
