// Prints the plan and timing of the personal feed's page query on the benchmark data set — the profile behind
// the feed numbers in bench/results/feed.md. OFFSET=980 shows page 50 of 20.
//   node bench/feed/explain.ts   (BENCH_SCALE as for the generator)
import mysql from 'mysql2/promise';
import { createDb } from '../../src/db/client.ts';
import { postings } from '../../src/db/schema/index.ts';
import { feedAuthors } from '../../src/domain/feed.ts';
import { liveNow, pageRows } from '../../src/domain/postings.ts';
import { gatewayUrl, mysqlConfig, sizes, startBenchDb, userId } from './setup.ts';

const sup = await startBenchDb(() => {});
try {
  const conn = await mysql.createConnection({ ...mysqlConfig });
  const fan = userId(sizes().creators);
  const db = createDb(gatewayUrl);
  const now = new Date();
  const q = pageRows(
    db,
    liveNow(now),
    postings.publishedAt,
    21,
    Number(process.env.OFFSET ?? 0),
    feedAuthors(db, fan, now),
  ).toSQL();
  const [[{ n }]] = (await conn.query('select count(*) n from user_follows where follower_id = ?', [
    fan,
  ])) as unknown as [[{ n: number }]];
  console.log(`fan ${fan} follows ${n} creators`);
  console.log(q.sql);
  console.table((await conn.query(`explain ${q.sql}`, q.params))[0]);
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await conn.query(q.sql, q.params);
    console.log(`run ${i + 1}: ${(performance.now() - t0).toFixed(2)} ms`);
  }
  await conn.end();
} finally {
  await sup.stopAll();
}
