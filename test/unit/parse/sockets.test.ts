import { describe, expect, it } from 'vitest';
import { normalizeState, splitHostPort } from '../../../src/parse/parsers/sockets';

describe('address:port as ss and lsof print it', () => {
  it.each([
    ['0.0.0.0:31337', undefined, { ip: '0.0.0.0', port: 31337, wildcard: true }],
    ['203.0.113.50:1337', undefined, { ip: '203.0.113.50', port: 1337, wildcard: false }],
    ['[::]:22', undefined, { ip: '::', port: 22, wildcard: true }],
    ['[2001:db8::10]:8443', undefined, { ip: '2001:db8::10', port: 8443 }],
    ['127.0.0.53%lo:53', undefined, { ip: '127.0.0.53', port: 53, iface: 'lo', address: '127.0.0.53%lo' }],
    ['[fe80::1]%eth0:22', undefined, { ip: 'fe80::1', port: 22, iface: 'eth0' }],
    ['[fe80::1%eth0]:22', undefined, { ip: 'fe80::1', port: 22, iface: 'eth0' }],
    ['*:22', undefined, { ip: '::', port: 22, wildcard: true, address: '*' }],
    ['*:8081', 'ipv4', { ip: '0.0.0.0', port: 8081, wildcard: true }],
    ['*:*', undefined, { ip: '::', port: undefined }],
    ['0.0.0.0:*', undefined, { ip: '0.0.0.0', port: undefined }],
  ] as const)('%s', (text, family, expected) => {
    expect(splitHostPort(text, family)).toMatchObject(expected);
  });

  it.each([
    '',
    ':',
    '22',
    'host:22',
    '1.2.3.4:99999',
    '1.2.3.256:1',
    '[zz::1]:2',
    '1.2.3.4:-1',
    'localhost:ssh',
  ])('rejects %j', (text) => {
    expect(splitHostPort(text)).toBeUndefined();
  });

  it("TCP states in ss's spelling", () => {
    expect(normalizeState('ESTABLISHED')).toBe('ESTAB');
    expect(normalizeState('TIME_WAIT')).toBe('TIME-WAIT');
    expect(normalizeState('LISTEN')).toBe('LISTEN');
    expect(normalizeState('close_wait')).toBe('CLOSE-WAIT');
  });
});
