import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  text,
  tinyint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';
import { PERIOD_UNITS, at, createdAt, deletedAt, id, ref, timestamps } from './columns.ts';

/** A creator's membership tier. Prices are whole KNG. */
export const membershipItems = mysqlTable(
  'membership_items',
  {
    id: id(),
    creatorId: ref('creator_id').notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    description: text('description'),
    benefits: json('benefits').$type<string[]>().notNull(),
    level: tinyint('level', { unsigned: true }).notNull(),
    price: bigint('price', { mode: 'number', unsigned: true }).notNull(),
    billingUnit: mysqlEnum('billing_unit', PERIOD_UNITS).notNull().default('MONTH'),
    billingPeriod: int('billing_period', { unsigned: true }).notNull().default(1),
    trialUnit: mysqlEnum('trial_unit', PERIOD_UNITS).notNull().default('DAY'),
    trialPeriod: int('trial_period', { unsigned: true }).notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    deletedAt: deletedAt(),
    // NULL once deleted, so the unique key below only binds live tiers (NULLs never collide).
    liveLevel: tinyint('live_level', { unsigned: true }).generatedAlwaysAs(
      sql`(case when deleted_at is null then level end)`,
      {
        mode: 'stored',
      },
    ),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('membership_items_creator_live_level_uq').on(t.creatorId, t.liveLevel),
    index('membership_items_creator_level_idx').on(t.creatorId, t.level),
  ],
);

export const SUBSCRIPTION_STATUSES = [
  'trialing',
  'active',
  'grace',
  'canceled',
  'expired',
] as const;

/**
 * A fan's membership of one creator. `canceled` = auto-renew off, access until `current_period_end`.
 * At most one live (not expired) subscription per fan and creator, enforced by `live_flag`.
 */
export const subscriptions = mysqlTable(
  'subscriptions',
  {
    id: id(),
    subscriberId: ref('subscriber_id').notNull(),
    creatorId: ref('creator_id').notNull(),
    membershipItemId: ref('membership_item_id').notNull(),
    status: mysqlEnum('status', SUBSCRIPTION_STATUSES).notNull(),
    level: tinyint('level', { unsigned: true }).notNull(),
    price: bigint('price', { mode: 'number', unsigned: true }).notNull(),
    paymentMethod: mysqlEnum('payment_method', ['token', 'card']).notNull().default('token'),
    autoRenew: boolean('auto_renew').notNull().default(true),
    billingAnchorAt: at('billing_anchor_at').notNull(),
    currentPeriodStart: at('current_period_start').notNull(),
    currentPeriodEnd: at('current_period_end').notNull(),
    trialEndsAt: at('trial_ends_at'),
    graceEndsAt: at('grace_ends_at'),
    /** A lower tier chosen by the fan, applied at the next renewal. */
    pendingMembershipItemId: ref('pending_membership_item_id'),
    billingKeyRef: varchar('billing_key_ref', { length: 200 }),
    failureCount: int('failure_count', { unsigned: true }).notNull().default(0),
    startedAt: createdAt(),
    endedAt: at('ended_at'),
    // 1 while live, NULL once expired (MariaDB cannot generate a copy of a CHAR column, so a flag it is).
    liveFlag: tinyint('live_flag', { unsigned: true }).generatedAlwaysAs(
      sql`(case when status <> 'expired' then 1 end)`,
      {
        mode: 'stored',
      },
    ),
    updatedAt: timestamps().updatedAt,
  },
  (t) => [
    uniqueIndex('subscriptions_one_live_uq').on(t.subscriberId, t.creatorId, t.liveFlag),
    index('subscriptions_subscriber_status_idx').on(t.subscriberId, t.status),
    index('subscriptions_creator_status_idx').on(t.creatorId, t.status),
    index('subscriptions_item_status_idx').on(t.membershipItemId, t.status),
    // Renewal cron: due subscriptions by state.
    index('subscriptions_due_idx').on(t.status, t.currentPeriodEnd),
  ],
);

/** Every state change and charge of a subscription; the idempotency key makes each period's charge unique. */
export const subscriptionEvents = mysqlTable(
  'subscription_events',
  {
    id: id(),
    subscriptionId: ref('subscription_id').notNull(),
    type: mysqlEnum('type', [
      'started',
      'trial_started',
      'renewed',
      'upgraded',
      'downgrade_scheduled',
      'canceled',
      'resumed',
      'grace_started',
      'expired',
      'refunded',
      'payment_failed',
    ]).notNull(),
    fromStatus: mysqlEnum('from_status', SUBSCRIPTION_STATUSES),
    toStatus: mysqlEnum('to_status', SUBSCRIPTION_STATUSES),
    periodStart: at('period_start'),
    periodEnd: at('period_end'),
    amount: bigint('amount', { mode: 'number', unsigned: true }).notNull().default(0),
    transferId: ref('transfer_id'),
    idempotencyKey: varchar('idempotency_key', { length: 191 }).notNull(),
    data: json('data').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('subscription_events_idem_uq').on(t.idempotencyKey),
    index('subscription_events_subscription_idx').on(t.subscriptionId, t.createdAt),
  ],
);

export type MembershipItem = typeof membershipItems.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
