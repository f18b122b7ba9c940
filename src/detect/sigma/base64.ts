import type { Encoding } from './modifiers';

/** The bytes a value stands for before base64: UTF-8 by default, UTF-16 with the encoding modifiers. */
export function encodeText(text: string, encoding: Encoding | undefined): Buffer {
  switch (encoding) {
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'utf16be':
      return Buffer.from(text, 'utf16le').swap16();
    case 'utf16':
      // like Python's "utf-16" codec (what pySigma uses): a byte-order mark, then little-endian
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    default:
      return Buffer.from(text, 'utf8');
  }
}

export function base64(bytes: Buffer): string {
  return bytes.toString('base64');
}

/**
 * The three base64 forms of `bytes` as they appear inside a longer encoded text, whatever their offset in it
 * (Sigma `base64offset`, same slicing as pySigma): the characters that depend on the unknown neighbours are
 * cut off.
 */
export function base64Offsets(bytes: Buffer): string[] {
  const startCut = [0, 2, 3];
  const endCut = [0, 3, 2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const padded = Buffer.concat([Buffer.alloc(i, 0x20), bytes]);
    const encoded = padded.toString('base64');
    const cut = endCut[(bytes.length + i) % 3]!;
    out.push(encoded.slice(startCut[i]!, cut === 0 ? undefined : encoded.length - cut));
  }
  return out;
}
