// The Toss stand-in writes times as Toss does: the wall clock in Asia/Seoul with +09:00, so a
// parsed approvedAt is the real instant (it used to label UTC times +09:00, nine hours early).
import { describe, expect, it } from 'vitest';
import { kstTimestamp } from '../../dev/fake-toss/src/server.ts';

describe('fake Toss timestamps', () => {
  it('are Seoul wall-clock times with +09:00, in Toss’s format (no fraction)', () => {
    expect(kstTimestamp(new Date('2024-02-13T03:18:14.123Z'))).toBe('2024-02-13T12:18:14+09:00');
    expect(kstTimestamp(new Date('2024-02-13T20:00:00Z'))).toBe('2024-02-14T05:00:00+09:00');
  });

  it('parse back to the same instant', () => {
    const at = new Date();
    const stamp = kstTimestamp(at);
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    expect(Date.parse(stamp)).toBe(Math.floor(at.getTime() / 1000) * 1000);
  });
});
