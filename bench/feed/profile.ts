// Where a personal feed request spends its time, stage by stage, with the Worker's own domain code run in Node
// against the benchmark gateway (no workerd, no HTTP server in front): the page query through mysql2 and
// through the gateway, the gate/serialisation stage (viewPostings: 7 queries in parallel), and the whole
// personalFeed. Prints p50s of 100 runs each.
//   node bench/feed/profile.ts   (BENCH_SCALE as for the generator; the data set must exist)
import mysql from 'mysql2/promise';
import { createDb } from '../../src/db/client.ts';
import { postings } from '../../src/db/schema/index.ts';
import { feedAuthors, personalFeed } from '../../src/domain/feed.ts';
import { liveNow, pageRows, viewPostings } from '../../src/domain/postings.ts';
import { record, summarize } from '../lib.ts';
import { gatewayUrl, mysqlConfig, sizes, startBenchDb, userId } from './setup.ts';

const sup = await startBenchDb(() => {});
const runs = Number(process.env.PROFILE_RUNS ?? 100);
const lines: Array<[string, number]> = [];
async function time(label: string, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  const p50 = summarize(t).p50;
  console.log(`${label.padEnd(58)} p50 ${p50.toFixed(2)} ms`);
  lines.push([label, p50]);
  return p50;
}
try {
  const conn = await mysql.createConnection({ ...mysqlConfig });
  const db = createDb(gatewayUrl);
  const fan = userId(sizes().creators);
  const now = new Date();
  const q = pageRows(
    db,
    liveNow(now),
    postings.publishedAt,
    21,
    0,
    feedAuthors(db, fan, now),
  ).toSQL();
  const rows = (
    await pageRows(db, liveNow(now), postings.publishedAt, 21, 0, feedAuthors(db, fan, now))
  ).slice(0, 20);
  await time('page query, mysql2 direct', () => conn.query(q.sql, q.params));
  await time('page query, through the gateway (drizzle + HTTP)', () =>
    pageRows(db, liveNow(now), postings.publishedAt, 21, 0, feedAuthors(db, fan, now)),
  );
  await time('trivial query through the gateway (select 1)', () => db.execute('select 1'));
  await time('stage 2: viewPostings (7 queries in parallel + serialise)', () =>
    viewPostings(db, fan, rows, now, 'http://x'),
  );
  await time('whole personalFeed (page query + stage 2)', () =>
    personalFeed(db, {
      viewerId: fan,
      filter: 'all',
      after: null,
      limit: 20,
      now,
      apiBase: 'http://x',
    }),
  );
  const [[{ n }]] = (await conn.query('select count(*) n from user_follows where follower_id = ?', [
    fan,
  ])) as unknown as [[{ n: number }]];
  await conn.end();
  const md = [
    '# Personal feed profile (domain code in Node against the benchmark gateway; no workerd)',
    '',
    `Data: ${Object.entries(sizes())
      .map(([k, v]) => `${v.toLocaleString()} ${k}`)
      .join(
        ', ',
      )}; the fan follows ${n} creators. ${runs} runs each, p50 (${new Date().toISOString()}).`,
    '',
    '| stage | p50 ms |',
    '|---|---|',
    ...lines.map(([label, p50]) => `| ${label} | ${p50.toFixed(2)} |`),
  ].join('\n');
  record('feed-profile', { sizes: sizes(), follows: n, runs, p50: Object.fromEntries(lines) }, md);
} finally {
  await sup.stopAll();
}
