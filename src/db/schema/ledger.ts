import {
  bigint,
  index,
  mysqlEnum,
  mysqlTable,
  smallint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';
import { at, createdAt, id, ref, timestamps } from './columns.ts';

export const tokenTypes = mysqlTable(
  'token_types',
  {
    id: id(),
    symbol: varchar('symbol', { length: 16 }).notNull(),
    name: varchar('name', { length: 50 }).notNull(),
    description: varchar('description', { length: 500 }),
    /** Price of one token in KRW (whole won). */
    priceKrw: bigint('price_krw', { mode: 'number', unsigned: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('token_types_symbol_uq').on(t.symbol)],
);

/**
 * A balance of one token type. `balance` is UNSIGNED: the database itself refuses a negative balance,
 * behind the domain's guarded debit (`balance >= amount`).
 */
export const wallets = mysqlTable(
  'wallets',
  {
    id: id(),
    tokenTypeId: ref('token_type_id').notNull(),
    /** The current owner: a user id, or `treasury` for the platform wallet. History is in wallet_ownerships. */
    ownerId: varchar('owner_id', { length: 36 }).notNull(),
    kind: mysqlEnum('kind', ['user', 'treasury']).notNull().default('user'),
    balance: bigint('balance', { mode: 'number', unsigned: true }).notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('wallets_owner_token_uq').on(t.ownerId, t.tokenTypeId),
    index('wallets_token_idx').on(t.tokenTypeId),
  ],
);

export const walletOwnerships = mysqlTable(
  'wallet_ownerships',
  {
    id: id(),
    walletId: ref('wallet_id').notNull(),
    ownerId: varchar('owner_id', { length: 36 }).notNull(),
    startedAt: createdAt(),
    endedAt: at('ended_at'),
  },
  (t) => [
    uniqueIndex('wallet_ownerships_wallet_owner_start_uq').on(t.walletId, t.ownerId, t.startedAt),
    index('wallet_ownerships_owner_idx').on(t.ownerId),
  ],
);

export const transferReasons = mysqlTable(
  'transfer_reasons',
  {
    id: smallint('id', { unsigned: true }).primaryKey(),
    code: varchar('code', { length: 32 }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
  },
  (t) => [uniqueIndex('transfer_reasons_code_uq').on(t.code)],
);

/** One movement of tokens between two wallets, with both balances before and after. Never updated. */
export const transfers = mysqlTable(
  'transfers',
  {
    id: id(),
    idempotencyKey: varchar('idempotency_key', { length: 191 }).notNull(),
    tokenTypeId: ref('token_type_id').notNull(),
    fromWalletId: ref('from_wallet_id').notNull(),
    toWalletId: ref('to_wallet_id').notNull(),
    amount: bigint('amount', { mode: 'number', unsigned: true }).notNull(),
    reasonId: smallint('reason_id', { unsigned: true }).notNull(),
    referenceType: varchar('reference_type', { length: 32 }),
    referenceId: varchar('reference_id', { length: 64 }),
    fromBalanceBefore: bigint('from_balance_before', { mode: 'number', unsigned: true }).notNull(),
    fromBalanceAfter: bigint('from_balance_after', { mode: 'number', unsigned: true }).notNull(),
    toBalanceBefore: bigint('to_balance_before', { mode: 'number', unsigned: true }).notNull(),
    toBalanceAfter: bigint('to_balance_after', { mode: 'number', unsigned: true }).notNull(),
    reversesTransferId: ref('reverses_transfer_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('transfers_idem_uq').on(t.idempotencyKey),
    // Wallet history, newest first (keyset on created_at, id).
    index('transfers_from_wallet_idx').on(t.fromWalletId, t.createdAt, t.id),
    index('transfers_to_wallet_idx').on(t.toWalletId, t.createdAt, t.id),
    index('transfers_reference_idx').on(t.referenceType, t.referenceId),
    index('transfers_reverses_idx').on(t.reversesTransferId),
  ],
);

/**
 * Supply changes: the treasury mints tokens into its wallet and burns them out of it. With these, the
 * ledger invariant is checkable: the sum of all wallet balances = minted − burned.
 */
export const tokenSupplyChanges = mysqlTable(
  'token_supply_changes',
  {
    id: id(),
    idempotencyKey: varchar('idempotency_key', { length: 191 }).notNull(),
    tokenTypeId: ref('token_type_id').notNull(),
    walletId: ref('wallet_id').notNull(),
    kind: mysqlEnum('kind', ['mint', 'burn']).notNull(),
    amount: bigint('amount', { mode: 'number', unsigned: true }).notNull(),
    balanceBefore: bigint('balance_before', { mode: 'number', unsigned: true }).notNull(),
    balanceAfter: bigint('balance_after', { mode: 'number', unsigned: true }).notNull(),
    referenceType: varchar('reference_type', { length: 32 }),
    referenceId: varchar('reference_id', { length: 64 }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('token_supply_changes_idem_uq').on(t.idempotencyKey),
    index('token_supply_changes_token_idx').on(t.tokenTypeId, t.kind),
  ],
);

export type Wallet = typeof wallets.$inferSelect;
export type Transfer = typeof transfers.$inferSelect;
