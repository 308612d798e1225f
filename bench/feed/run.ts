// Feed benchmark on bare workerd (`workerd serve` on the wrangler bundle) against the gateway and MariaDB
// with the generated data set (run bench:feed:generate first), driven by autocannon on the same machine.
// Records bench/results/feed.{json,md}: throughput and latency per scenario, DB round trips per request, and
// the goals as ratios from this one run.
//   npm run bench:feed   (BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_SCALE as for the generator)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SignJWT, importJWK, type JWK } from 'jose';
import mysql from 'mysql2/promise';
import { applyMigrations } from '../../dev/db/migrate.ts';
import { cognitoCall, startCognito } from '../../dev/stack/cognito.ts';
import { loadConfig } from '../../dev/stack/config.ts';
import { createDb } from '../../src/db/client.ts';
import { postings } from '../../src/db/schema/index.ts';
import { feedAuthors } from '../../src/domain/feed.ts';
import { liveNow, pageRows } from '../../src/domain/postings.ts';
import { fmt, record, summarize } from '../lib.ts';
import { benchWorkerVars, bundleWorker, load, startWorkerd } from '../workerd.ts';
import {
  gatewayUrl,
  mysqlConfig,
  postingId,
  sizes,
  startBenchDb,
  stateDir,
  userId,
} from './setup.ts';

const CACHED = 'public feed, anonymous, cache hit';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const size = sizes();
const log = (l: string) => console.log(`[bench] ${l}`);
const sup = await startBenchDb(log);
const require = createRequire(import.meta.url);

try {
  await applyMigrations(gatewayUrl); // a data set generated before the latest migrations gets them here
  const cfg = loadConfig('test');
  cfg.stateDir = stateDir;
  cfg.ports.cognito = Number(process.env.CREFANS_BENCH_COGNITO_PORT ?? 3978);
  const { info: cognito } = await startCognito(sup, cfg);
  await cognitoCall(cognito.endpoint, 'ListUserPools', { MaxResults: 1 });
  // The fan follows 50 creators; their token is signed with cognito-local's key (the Worker fetches its JWKS).
  const fan = userId(size.creators);
  const conn = await mysql.createConnection({ ...mysqlConfig });
  const followed = Array.from({ length: Math.min(50, size.creators) }, (_, i) => userId(i));
  await conn.query('insert ignore into user_follows (follower_id, following_id) values ?', [
    followed.map((c) => [fan, c]),
  ]);
  // The generator's random follows come on top of these 50.
  const [[{ n: fanFollows }]] = (await conn.query(
    'select count(*) n from user_follows where follower_id = ?',
    [fan],
  )) as unknown as [[{ n: number }]];
  const keyFile = join(
    require.resolve('cognito-local/package.json'),
    '..',
    'lib',
    'keys',
    'cognitoLocal.private.json',
  );
  const key = await importJWK(
    (JSON.parse(readFileSync(keyFile, 'utf8')) as { jwk: JWK }).jwk,
    'RS256',
  );
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    token_use: 'access',
    client_id: cognito.clientId,
    username: fan,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
    .setSubject(fan)
    .setIssuer(cognito.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 7200)
    .sign(key);
  const cookie = { cookie: `access_token=${token}` };

  log('bundling the Worker');
  const worker = await startWorkerd(
    bundleWorker(),
    benchWorkerVars(cognito, {
      APP_ENV: 'test', // exposes X-Db-Round-Trips
      DATABASE_URL: gatewayUrl,
      PUBLIC_CACHE_TTL_SECONDS: '600',
    }),
    Number(process.env.CREFANS_BENCH_WORKERD_PORT ?? 3979),
  );
  try {
    const url = (p: string) => `${worker.url}${p}`;
    const detail = postingId(Math.floor(size.postings / 2));
    const trips = async (p: string, headers: Record<string, string> = {}) => {
      const res = await fetch(url(p), { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
      return Number(res.headers.get('x-db-round-trips') ?? 0);
    };
    const roundTrips = {
      trivial: await trips('/'),
      publicFeedMiss: await trips(`/feed/public?limit=20&r=${Math.random()}`),
      personalFeed: await trips('/feed?limit=20', cookie),
      personalFeedPage50: await trips('/feed?page=50&limit=20', cookie),
      postingDetail: await trips(`/postings/${detail}`),
    };
    const scenarios: Array<
      [string, Parameters<typeof load>[1] & { path: string; randomise?: boolean }]
    > = [
      ['trivial route GET /', { path: '/', connections, seconds }],
      // The Cache API is backed by bench/cache-service.js (an in-memory cache worker in the same workerd).
      [CACHED, { path: '/feed/public?limit=20', connections, seconds }],
      [
        'public feed, cache miss (anonymous, new URL each time)',
        { path: '/feed/public?limit=20', connections, seconds, randomise: true },
      ],
      [
        `personal feed (fan following ${fanFollows} creators)`,
        { path: '/feed?limit=20', connections, seconds, headers: cookie },
      ],
      // Last: every detail view queues a counter update on the same posting row (see the results note).
      [
        'posting detail (one hot posting)',
        { path: `/postings/${detail}`, connections, seconds, headers: cookie },
      ],
    ];
    // The cached scenario must really be served from the cache: warm it and check the marker header.
    const warm = await fetch(url('/feed/public?limit=20'));
    await warm.arrayBuffer();
    const again = await fetch(url('/feed/public?limit=20'));
    await again.arrayBuffer();
    const cacheStatus = again.headers.get('x-cache');
    if (cacheStatus !== 'HIT')
      throw new Error(
        `the second anonymous public feed request was not a cache hit (x-cache: ${cacheStatus})`,
      );
    const results: Record<string, Awaited<ReturnType<typeof load>>> = {};
    for (const [name, s] of scenarios) {
      log(name);
      results[name] = await load(url(s.path), {
        connections: s.connections,
        seconds: s.seconds,
        headers: s.headers,
        randomise: s.randomise,
      });
    }
    // The personal feed's own SQL, straight through mysql2: the page query listPostings sends, as drizzle
    // renders it (followed creators joined as a derived table, ids from the covering index, then the rows).
    const sqlTimes: number[] = [];
    const db = createDb(gatewayUrl);
    const pageQuery = pageRows(
      db,
      liveNow(new Date()),
      postings.publishedAt,
      21,
      0,
      feedAuthors(db, fan, new Date()),
    ).toSQL();
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      await conn.query(pageQuery.sql, pageQuery.params);
      sqlTimes.push(performance.now() - t0);
    }
    await conn.end();
    const sqlP50 = summarize(sqlTimes).p50;
    // The same feed request one at a time (no concurrency), to compare with its SQL on equal terms.
    const feedTimes: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      const res = await fetch(url('/feed?limit=20'), { headers: cookie });
      await res.arrayBuffer();
      feedTimes.push(performance.now() - t0);
    }
    const feedSequentialP50 = summarize(feedTimes).p50;
    // Page 1 against page 50 (page/limit, as the web client asks), one request at a time, interleaved.
    const pageTimes: Record<'1' | '50', number[]> = { '1': [], '50': [] };
    for (let i = 0; i < 60; i++) {
      for (const p of ['1', '50'] as const) {
        const t0 = performance.now();
        const res = await fetch(url(`/feed?page=${p}&limit=20`), { headers: cookie });
        await res.arrayBuffer();
        pageTimes[p].push(performance.now() - t0);
      }
    }
    const page1 = summarize(pageTimes['1']);
    const page50 = summarize(pageTimes['50']);
    const ratios = {
      cachedPublicVsTrivialThroughput:
        results[CACHED].rps / Math.max(results['trivial route GET /'].rps, 0.001),
      personalFeedP50VsOwnSqlP50: feedSequentialP50 / Math.max(sqlP50, 0.001),
      page50VsPage1Latency: page50.p50 / Math.max(page1.p50, 0.001),
    };
    const goals = {
      cachedPublicVsTrivialThroughput: '≥ 0.8',
      personalFeedP50VsOwnSqlP50: '≤ 2',
      page50VsPage1Latency: '≤ 1.2',
    };
    const data = {
      sizes: size,
      connections,
      secondsPerScenario: seconds,
      roundTrips,
      results,
      personalFeedSqlMs: summarize(sqlTimes),
      personalFeedSequentialMs: summarize(feedTimes),
      page1Ms: page1,
      page50Ms: page50,
      ratios,
      goals,
    };
    const md = [
      '# Feed benchmark (bare workerd, gateway, MariaDB)',
      '',
      `Data: ${Object.entries(size)
        .map(([k, v]) => `${v.toLocaleString()} ${k}`)
        .join(
          ', ',
        )}. ${connections} connections, ${seconds} s per scenario, autocannon on the same 2-core machine (${new Date().toISOString()}).`,
      '',
      '| scenario | req/s | p50 ms | p99 ms | non-2xx |',
      '|---|---|---|---|---|',
      ...Object.entries(results).map(
        ([name, x]) =>
          `| ${name} | ${x.rps.toFixed(0)} | ${x.p50} | ${x.p99} | ${x.non2xx + x.errors} |`,
      ),
      '',
      `DB round trips per request: ${Object.entries(roundTrips)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`,
      `Personal feed page 1 vs page 50 (page/limit, one at a time): p50 ${fmt(page1.p50)} ms vs ${fmt(page50.p50)} ms.`,
      `Personal feed one request at a time: p50 ${fmt(feedSequentialP50)} ms; its main SQL alone through mysql2: p50 ${fmt(sqlP50)} ms.`,
      '',
      '| goal | target | reached |',
      '|---|---|---|',
      `| cached public feed throughput / trivial route | ${goals.cachedPublicVsTrivialThroughput} | ${ratios.cachedPublicVsTrivialThroughput.toFixed(2)} |`,
      `| personal feed p50 / its SQL p50 (both sequential) | ${goals.personalFeedP50VsOwnSqlP50} | ${ratios.personalFeedP50VsOwnSqlP50.toFixed(2)} |`,
      `| page 50 p50 / page 1 p50 | ${goals.page50VsPage1Latency} | ${ratios.page50VsPage1Latency.toFixed(2)} |`,
    ].join('\n');
    record('feed', data, md);
    console.log(md);
  } finally {
    await worker.dispose();
  }
} finally {
  await sup.stopAll();
}
