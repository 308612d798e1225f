// Load: many concurrent statements and transactions through one gateway, every result checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.client.execute(
    'create table ledger (tx int not null, seq int not null, primary key (tx, seq))',
  );
});
afterAll(async () => {
  await h.close();
});

describe('load', () => {
  it('200 concurrent execute calls all return their own correct result', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        h.client.execute(`select ${i} as i, repeat('x', ${i % 50}) as pad`),
      ),
    );
    results.forEach((res, i) => {
      expect(res.rows).toEqual([{ i, pad: 'x'.repeat(i % 50) }]);
    });
  });

  it('20 concurrent transactions of 10 statements each commit exactly their own rows', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, tx) =>
        h.client.transaction(async (t) => {
          for (let seq = 0; seq < 9; seq++) {
            await t.execute(`insert into ledger values (${tx}, ${seq})`);
          }
          const own = await t.execute(`select count(*) c from ledger where tx = ${tx}`);
          expect(own.rows).toEqual([{ c: '9' }]);
        }),
      ),
    );
    const totals = await h.client.execute(
      'select tx, count(*) c from ledger group by tx order by tx',
    );
    expect(totals.rows).toEqual(Array.from({ length: 20 }, (_, tx) => ({ tx, c: '9' })));
    expect(h.gateway.stats().pinnedSessions).toBe(0);
  });

  it('a failing transaction among concurrent ones leaves no rows and no pinned connection', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        h.client.transaction(async (t) => {
          await t.execute(`insert into ledger values (${100 + i}, 0)`);
          if (i % 2 === 0) await t.execute(`insert into ledger values (${100 + i}, 0)`); // duplicate key
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(5);
    const rows = await h.client.execute('select tx from ledger where tx >= 100 order by tx');
    expect(rows.rows).toEqual([101, 103, 105, 107, 109].map((tx) => ({ tx })));
    expect(h.gateway.stats().pinnedSessions).toBe(0);
  });
});
