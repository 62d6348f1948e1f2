import { runInScope } from '@cg/observability';
import { newId, writeId } from './write-ids';

describe('ids of what a write creates', () => {
  const digest = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const inWrite = <T>(writeKey: string | undefined, fn: () => T) => runInScope({ correlationId: 'c', writeKey }, fn);

  it('are the same on every attempt of one write, and differ by purpose', () => {
    const first = inWrite(`1764672000.${digest}`, () => [newId('case'), newId('case:event')]);
    const retry = inWrite(`1764672000.${digest}`, () => [newId('case'), newId('case:event')]);
    expect(retry.map(String)).toEqual(first.map(String));
    expect(String(first[0])).not.toBe(String(first[1]));
  });

  it('keep the first attempt time in their leading bytes, so _id order is creation order', () => {
    expect(writeId(1764672000, digest, 'case').getTimestamp().toISOString()).toBe('2025-12-02T10:40:00.000Z');
  });

  it('differ between writes', () => {
    expect(String(writeId(1764672000, digest, 'case'))).not.toBe(String(writeId(1764672000, `${digest}00`, 'case')));
  });

  it('are fresh without a write key, or with one that is not well formed', () => {
    const plain = inWrite(undefined, () => [newId('case'), newId('case')]);
    expect(String(plain[0])).not.toBe(String(plain[1]));
    const odd = inWrite('not-a-key', () => [newId('case'), newId('case')]);
    expect(String(odd[0])).not.toBe(String(odd[1]));
  });
});
