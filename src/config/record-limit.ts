import { MAX_RECORD_LIMIT } from '../domain/raw-record';

/**
 * A record size limit as written in a flag or variable: a whole number of bytes from 1 to 1 GiB, digits
 * only. `abc`, `1e999`, `0x10`, `-1` and ` ` are refused: a limit that reads as NaN or Infinity is no limit
 * at all, and 0 would refuse every record.
 */
export function parseRecordLimit(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= MAX_RECORD_LIMIT ? n : undefined;
}

export const RECORD_LIMIT_RULE = `a whole number of bytes from 1 to ${MAX_RECORD_LIMIT}`;
