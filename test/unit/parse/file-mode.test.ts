import { describe, expect, it } from 'vitest';
import {
  octalMode,
  parseFileMode,
  symbolicMode,
  withSpecialBits,
} from '../../../src/parse/parsers/file-mode';

describe('file modes in every notation the FIM tools write become one octal string', () => {
  it.each([
    ['-rwsr-xr-x', '4755', true, false, 'file'],
    ['-rwxr-xr-x', '0755', false, false, 'file'],
    ['-rwxr-sr-x', '2755', false, true, 'file'],
    ['-rwSr--r--', '4644', true, false, 'file'],
    ['drwxrwxrwt', '1777', false, false, 'dir'],
    ['-r--r-----', '0440', false, false, 'file'],
    ['lrwxrwxrwx', '0777', false, false, 'symlink'],
    ['crw-rw-rw-', '0666', false, false, 'char'],
    ['rwsr-sr-x', '6755', true, true, undefined],
    ['rw-r--r--', '0644', false, false, undefined],
  ])('symbolic %s', (text, mode, setuid, setgid, type) => {
    expect(symbolicMode(text)).toEqual({ mode, setuid, setgid, ...(type ? { type } : {}) });
  });

  it.each([
    ['0644', '0644', undefined],
    ['644', '0644', undefined],
    ['4755', '4755', undefined],
    ['100644', '0644', 'file'],
    ['104755', '4755', 'file'],
    ['40755', '0755', 'dir'],
    ['120777', '0777', 'symlink'],
  ])('octal %s', (text, mode, type) => {
    expect(octalMode(text)?.mode).toBe(mode);
    expect(octalMode(text)?.type).toBe(type);
  });

  it('rejects what is neither', () => {
    for (const bad of ['', 'rwx', '-rwxr-xr-xx', '9644', '0o644', '12', '170644', 'drwxr-xr-q']) {
      expect(parseFileMode(bad)).toBeUndefined();
    }
  });

  it("folds Auditbeat's separate setuid/setgid booleans into the mode", () => {
    expect(withSpecialBits(octalMode('0755')!, true, false).mode).toBe('4755');
    expect(withSpecialBits(octalMode('0755')!, true, true)).toEqual({
      mode: '6755',
      setuid: true,
      setgid: true,
    });
    expect(withSpecialBits(octalMode('0644')!, false, false).mode).toBe('0644');
  });
});
