import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { corpusPath } from '../../support/corpus';

/** Real audit logs: web02 (corpus, RAW) and the fixtures of test/fixtures/auditd (see its README). */
export const AUDIT_FIXTURES = resolve(__dirname, '..', '..', 'fixtures', 'auditd');

const cache = new Map<string, string[]>();

function lines(path: string): string[] {
  let known = cache.get(path);
  if (!known) {
    const raw = readFileSync(path);
    const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    known = text.split('\n').filter((l) => l.trim() !== '');
    cache.set(path, known);
  }
  return known;
}

/** web02's audit.log (auditd 3.0.9, RAW, node=web02). */
export const web02Audit = (): string[] => lines(corpusPath('web02', 'audit.log'));
/** db03: ENRICHED audit.log, and the same records through the syslog plugin (audisp-syslog). */
export const db03Audit = (): string[] => lines(resolve(AUDIT_FIXTURES, 'db03', 'audit.log.gz'));
export const db03Syslog = (): string[] => lines(resolve(AUDIT_FIXTURES, 'db03', 'audisp-syslog.log.gz'));
/** kern01: the kernel's own audit lines (no auditd running), as rsyslog and dmesg wrote them. */
export const kernelLog = (file: 'kern.log' | 'kern-iso8601.log' | 'dmesg.txt'): string[] =>
  lines(resolve(AUDIT_FIXTURES, 'kern01', file));

/** The first line containing every fragment. */
export function lineWith(source: readonly string[], ...fragments: string[]): string {
  const line = source.find((l) => fragments.every((f) => l.includes(f)));
  if (line === undefined) throw new Error(`no line with ${fragments.join(' + ')}`);
  return line;
}

/** Every line of one event (`SECONDS.MILLIS:SERIAL`), in file order. */
export const eventLines = (source: readonly string[], id: string): string[] =>
  source.filter((l) => l.includes(`audit(${id})`));

export function actions(file: string): { utc: string; action: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { utc: string; action: string });
}
