import { describe, expect, it } from 'vitest';
import { alertRow } from '../../../src/alert/format/alert-row';
import type { Alert } from '../../../src/domain/alert';
import type { FieldValue } from '../../../src/domain/event';

const alert = (fields: Record<string, FieldValue>): Alert => ({
  id: 'x',
  index: 'tuxwatch-alerts-2026.11',
  fields: { '@timestamp': '2026-11-26T08:11:17.000Z', 'rule.id': 'r', 'host.name': 'web01', ...fields },
});

describe('the subject: what an alert is about, as name=value words', () => {
  it('a value with blanks is quoted, so a trailing blank shows and no blank forges another pair', () => {
    expect(alertRow(alert({ 'file.path': '/var/tmp/. ', 'file.mode': '0755' })).subject).toBe(
      'path="/var/tmp/. " mode=0755',
    );
    expect(alertRow(alert({ 'file.path': '/tmp/a exe=/bin/sh' })).subject).toBe('path="/tmp/a exe=/bin/sh"');
  });

  it('quotes and backslashes inside quotes are escaped: a value cannot end early', () => {
    expect(
      alertRow(alert({ 'file.path': '/tmp/x\\" exe=/usr/sbin/sshd', 'file.mode': '4755' })).subject,
    ).toBe('path="/tmp/x\\\\\\" exe=/usr/sbin/sshd" mode=4755');
    expect(alertRow(alert({ 'user.name': '"' })).subject).toBe('user="\\""');
    expect(alertRow(alert({ 'user.name': '' })).subject).toBe('user=""');
  });

  it('plain values stay as they are, backslashes included', () => {
    expect(alertRow(alert({ 'user.name': 'toor', 'file.path': 'C:\\x' })).subject).toBe(
      'user=toor path=C:\\x',
    );
  });
});
