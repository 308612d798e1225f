import {
  bigint,
  boolean,
  index,
  json,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';
import { at, createdAt, id, ref, timestamps } from './columns.ts';

export const PAYMENT_STATUSES = [
  'pending',
  'approved',
  'credited',
  'canceling',
  'canceled',
  'partial_canceled',
  'failed',
] as const;

/** An order sent to Toss Payments. The server chooses order id and amount; the client never does. */
export const paymentOrders = mysqlTable(
  'payment_orders',
  {
    id: id(),
    orderId: varchar('order_id', { length: 64 }).notNull(),
    userId: ref('user_id').notNull(),
    kind: mysqlEnum('kind', ['topup', 'subscription']).notNull(),
    productCode: varchar('product_code', { length: 32 }),
    orderName: varchar('order_name', { length: 100 }).notNull(),
    /** KRW charged, VAT included (whole won). */
    amount: bigint('amount', { mode: 'number', unsigned: true }).notNull(),
    tokenAmount: bigint('token_amount', { mode: 'number', unsigned: true }).notNull().default(0),
    status: mysqlEnum('status', PAYMENT_STATUSES).notNull().default('pending'),
    paymentKey: varchar('payment_key', { length: 200 }),
    method: varchar('method', { length: 32 }),
    isRecurring: boolean('is_recurring').notNull().default(false),
    subscriptionId: ref('subscription_id'),
    approvedAt: at('approved_at'),
    canceledAt: at('canceled_at'),
    canceledAmount: bigint('canceled_amount', { mode: 'number', unsigned: true })
      .notNull()
      .default(0),
    failureCode: varchar('failure_code', { length: 64 }),
    failureMessage: varchar('failure_message', { length: 500 }),
    /** The provider's last payment object, for audits and reconciliation. */
    providerSnapshot: json('provider_snapshot').$type<Record<string, unknown>>(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('payment_orders_order_uq').on(t.orderId),
    uniqueIndex('payment_orders_payment_key_uq').on(t.paymentKey),
    index('payment_orders_user_created_idx').on(t.userId, t.createdAt, t.id),
    // Reconciliation: recent orders by state.
    index('payment_orders_status_updated_idx').on(t.status, t.updatedAt),
  ],
);

export type PaymentOrder = typeof paymentOrders.$inferSelect;

/** Toss webhooks applied, one row per (payment key, status, transaction key): a repeated delivery finds its row. */
export const paymentWebhookEvents = mysqlTable(
  'payment_webhook_events',
  {
    paymentKey: varchar('payment_key', { length: 200 }).notNull(),
    status: varchar('status', { length: 32 }).notNull(),
    transactionKey: varchar('transaction_key', { length: 100 }).notNull(),
    eventType: varchar('event_type', { length: 40 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({
      name: 'payment_webhook_events_pk',
      columns: [t.paymentKey, t.status, t.transactionKey],
    }),
  ],
);
