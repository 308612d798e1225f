// Generates the feed benchmark's data set (defaults: 100k users, 5k creators, 1M postings, 2M follows, 5M likes;
// BENCH_SCALE=0.1 for a tenth; each size also settable, e.g. BENCH_POSTINGS). Resumable: rows have
// deterministic keys and every batch is INSERT IGNORE, so a second run continues where the first stopped.
//   npm run bench:feed:generate
import mysql from 'mysql2/promise';
import { applyMigrations } from '../../dev/db/migrate.ts';
import { createDb } from '../../src/db/client.ts';
import { applyReferenceData } from '../../src/db/reference-data.ts';
import { gatewayUrl, mysqlConfig, postingId, sizes, startBenchDb, userId } from './setup.ts';

const log = (l: string) => console.log(`[bench] ${l}`);
const BATCH = 5_000;
const size = sizes();
const sup = await startBenchDb(log);

// A small deterministic PRNG (mulberry32), so that a resumed batch inserts the same rows.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function progress(label: string, done: number, total: number) {
  const pct = Math.min(100, Math.floor((done / total) * 100));
  const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
  process.stdout.write(
    `\r[bench] ${label.padEnd(9)} [${bar}] ${done.toLocaleString()}/${total.toLocaleString()} ${pct}%`,
  );
  if (done >= total) process.stdout.write('\n');
}

async function batches(
  conn: mysql.Connection,
  label: string,
  total: number,
  table: string,
  make: (batch: number) => unknown[][],
  columns: string,
) {
  const [[{ c }]] = (await conn.query(`select count(*) c from ${table}`)) as unknown as [
    [{ c: number }],
  ];
  const start = Math.floor(Number(c) / BATCH);
  for (let b = start; b * BATCH < total; b++) {
    const rows = make(b);
    if (rows.length) await conn.query(`insert ignore into ${table} (${columns}) values ?`, [rows]);
    progress(label, Math.min(total, (b + 1) * BATCH), total);
  }
  if (start * BATCH >= total) progress(label, total, total);
}

try {
  await applyMigrations(gatewayUrl);
  await applyReferenceData(createDb(gatewayUrl));
  const conn = await mysql.createConnection({ ...mysqlConfig });
  const t0 = Date.now();
  const epoch = Date.UTC(2026, 0, 1);
  const span = 300 * 86_400_000;
  await batches(
    conn,
    'users',
    size.users,
    'users',
    (b) =>
      Array.from({ length: Math.min(BATCH, size.users - b * BATCH) }, (_, k) => {
        const i = b * BATCH + k;
        return [userId(i), `u${i}@bench.local`, `u${i}`, `n${i}`, `user ${i}`, 'active'];
      }),
    'id, email, handle, nickname, name, status',
  );
  await batches(
    conn,
    'creators',
    size.creators,
    'creators',
    (b) =>
      Array.from({ length: Math.min(BATCH, size.creators - b * BATCH) }, (_, k) => {
        const i = b * BATCH + k;
        return [
          `10000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
          userId(i),
          new Date(epoch + (i % 1000) * 60_000),
        ];
      }),
    'id, user_id, created_at',
  );
  await batches(
    conn,
    'postings',
    size.postings,
    'postings',
    (b) => {
      const r = rng(1000 + b);
      return Array.from({ length: Math.min(BATCH, size.postings - b * BATCH) }, (_, k) => {
        const i = b * BATCH + k;
        const published = new Date(epoch + Math.floor((i / size.postings) * span));
        const members = r() < 0.2;
        return [
          postingId(i),
          userId(Math.floor(r() * size.creators)),
          `posting ${i}`,
          `content of posting ${i} `.repeat(8),
          'published',
          members,
          members ? 1 + Math.floor(r() * 3) : null,
          published,
          published,
        ];
      });
    },
    'id, author_id, title, content, status, is_membership, membership_level, published_at, created_at',
  );
  await batches(
    conn,
    'follows',
    size.follows,
    'user_follows',
    (b) => {
      const r = rng(2000 + b);
      return Array.from({ length: Math.min(BATCH, size.follows - b * BATCH) }, () => [
        userId(size.creators + Math.floor(r() * Math.max(1, size.users - size.creators))),
        userId(Math.floor(r() * size.creators)),
      ]);
    },
    'follower_id, following_id',
  );
  await batches(
    conn,
    'likes',
    size.likes,
    'posting_likes',
    (b) => {
      const r = rng(3000 + b);
      return Array.from({ length: Math.min(BATCH, size.likes - b * BATCH) }, () => [
        postingId(Math.floor(r() * size.postings)),
        userId(Math.floor(r() * size.users)),
      ]);
    },
    'posting_id, user_id',
  );
  log('counting likes into postings.like_count');
  await conn.query(
    'update postings p join (select posting_id, count(*) n from posting_likes group by posting_id) l on l.posting_id = p.id set p.like_count = l.n',
  );
  log('analysing tables');
  for (const t of ['users', 'creators', 'postings', 'user_follows', 'posting_likes'])
    await conn.query(`analyze table ${t}`);
  await conn.end();
  log(`data set ready in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${JSON.stringify(size)}`);
} finally {
  await sup.stopAll();
}
