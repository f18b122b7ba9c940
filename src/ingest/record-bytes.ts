import { isUtf8 } from 'node:buffer';

/** A record's bytes as text, and the bytes themselves when the text cannot hold them exactly. */
export interface DecodedRecord {
  readonly text: string;
  /** base64 of the exact bytes when they are not valid UTF-8 (`text` then has U+FFFD in their place) */
  readonly base64?: string;
}

/**
 * Decodes a record leniently: invalid UTF-8 (a Latin-1 byte in a home directory, a cut character) becomes
 * U+FFFD in the text, so the record is still read and its alert still raised, and the exact bytes are kept
 * beside it (rsyslog passes 8-bit bytes through unchanged, and an attacker can choose them).
 */
export function decodeRecord(bytes: Uint8Array): DecodedRecord {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('utf8');
  return isUtf8(buf) ? { text } : { text, base64: buf.toString('base64') };
}

/** The longest prefix of `bytes` of at most `max` bytes that does not end inside a UTF-8 character. */
export function utf8Prefix(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max) return bytes;
  let end = max;
  // step back over continuation bytes (10xxxxxx) to the start of the character that crosses the cut
  while (end > 0 && end > max - 4 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
