import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  datetime,
  decimal,
  double,
  float,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  serial,
  text,
  time,
  timestamp,
  varbinary,
  varchar,
  year,
} from 'drizzle-orm/mysql-core';

// The reference's `things` table (shared/reference/planetscale-http-protocol.md §5).
export const things = mysqlTable('things', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 50 }).unique(),
  n: int('n'),
  big: bigint('big', { mode: 'bigint' }),
  bign: bigint('bign', { mode: 'number' }),
  amount: decimal('amount', { precision: 10, scale: 2 }),
  dbl: double('dbl'),
  flt: float('flt'),
  flag: boolean('flag'),
  meta: json('meta'),
  created: datetime('created', { fsp: 3 }),
  createdS: datetime('created_s', { mode: 'string' }),
  ts: timestamp('ts', { fsp: 3 }),
  d: date('d'),
  t: time('t'),
  kind: mysqlEnum('kind', ['a', 'b']),
  y: year('y'),
  bin: varbinary('bin', { length: 8 }),
  txt: text('txt'),
});

export const CREATE_THINGS = `create table things (
  id bigint unsigned not null auto_increment primary key,
  name varchar(50) unique, n int, big bigint, bign bigint, amount decimal(10,2),
  dbl double, flt float, flag boolean, meta json, created datetime(3), created_s datetime,
  ts timestamp(3) null, d date, t time, kind enum('a','b'), y year, bin varbinary(8), txt text)`;

export const stamped = mysqlTable('stamped', {
  id: serial('id').primaryKey(),
  ts: timestamp('ts', { fsp: 3 }).default(sql`current_timestamp(3)`),
});

export const users = mysqlTable('users', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 20 }),
});
export const posts = mysqlTable('posts', {
  id: serial('id').primaryKey(),
  userId: bigint('user_id', { mode: 'number', unsigned: true }),
  title: varchar('title', { length: 20 }),
});
