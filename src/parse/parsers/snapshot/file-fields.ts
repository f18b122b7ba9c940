import type { FieldValue } from '../../../domain/event';
import type { FileInfo } from '../../../domain/snapshot-record';
import { pathFields } from '../event-base';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The file.* fields of docs/events.md for a file the collector saw, plus what only a live look can tell:
 * `tuxwatch.file.package` and `tuxwatch.file.packaged` (the owning package; `null` and false when none owns it, both absent when the host has no package database), `tuxwatch.file.btime` (birth
 * time) and `tuxwatch.file.days_since_change`: whole days from the later of mtime and ctime to the run's
 * start, so a rule can ask for "changed in the last N days" (`|lt: 7`) without a clock of its own.
 */
export function fileFields(file: FileInfo, runAt: string): Record<string, FieldValue> {
  const mode = parseInt(file.mode, 8);
  const fields: Record<string, FieldValue> = {
    ...pathFields(file.path),
    'file.type': file.type,
    'file.mode': file.mode,
    'file.setuid': (mode & 0o4000) !== 0,
    'file.setgid': (mode & 0o2000) !== 0,
    'file.uid': String(file.uid),
    'file.gid': String(file.gid),
    'file.size': file.size,
    'file.mtime': new Date(file.mtime).toISOString(),
    'file.ctime': new Date(file.ctime).toISOString(),
    'tuxwatch.file.executable': file.type === 'file' && (mode & 0o111) !== 0,
    'tuxwatch.file.days_since_change': daysBetween(
      Math.max(Date.parse(file.mtime), Date.parse(file.ctime)),
      Date.parse(runAt),
    ),
  };
  if (file.owner !== undefined) fields['file.owner'] = file.owner;
  if (file.group !== undefined) fields['file.group'] = file.group;
  if (file.inode !== undefined) fields['file.inode'] = String(file.inode);
  if (file.btime !== undefined) fields['tuxwatch.file.btime'] = new Date(file.btime).toISOString();
  if (file.sha256 !== undefined) fields['file.hash.sha256'] = file.sha256;
  if (file.package !== undefined) {
    fields['tuxwatch.file.package'] = file.package;
    fields['tuxwatch.file.packaged'] = file.package !== null;
  }
  return fields;
}

/** Whole days from `from` to `to`, never negative (a clock that ran backwards is "today"). */
const daysBetween = (from: number, to: number): number => Math.max(0, Math.floor((to - from) / DAY_MS));
