// Worker entry: HTTP (the app), queue consumers and cron triggers. Only handlers may be exported here.
import { createApp } from './app.ts';
import { type Bindings, parseEnv } from './env.ts';
import {
  WALLET_DLQ_NAME,
  WALLET_QUEUE_NAME,
  consumeWalletBatch,
  consumeWalletDeadLetters,
  sweepMissingWallets,
} from './jobs/wallets.ts';
import {
  MEDIA_DLQ_NAME,
  MEDIA_QUEUE_NAME,
  consumeMediaBatch,
  sweepStuckMedia,
} from './jobs/media.ts';
import { createDb } from './db/client.ts';
import { reconcilePayments } from './domain/payments.ts';
import { checkLedgerInvariants } from './domain/ledger.ts';
import { runRenewals } from './domain/renewals.ts';
import { createLogger } from './lib/logger.ts';
import { TossClient } from './lib/toss.ts';
import { runAccountDeletions } from './jobs/account-deletions.ts';

const app = createApp();

export default {
  fetch: app.fetch,

  async queue(batch, bindings, _ctx) {
    const env = parseEnv(bindings);
    const logger = createLogger(env.LOG_LEVEL, { queue: batch.queue });
    if (batch.queue === WALLET_DLQ_NAME) return consumeWalletDeadLetters(batch, logger);
    if (batch.queue === WALLET_QUEUE_NAME) return consumeWalletBatch(batch, env, logger);
    if (batch.queue === MEDIA_QUEUE_NAME) return consumeMediaBatch(batch, env, logger);
    if (batch.queue === MEDIA_DLQ_NAME) {
      // Undeliverable jobs: the sweeper dispatches the media again (attempts capped), so they are only logged.
      for (const m of batch.messages)
        logger.error('media queue: message dead-lettered', {
          messageId: m.id,
          body: m.body,
          attempts: m.attempts,
        });
      return batch.ackAll();
    }
    logger.error('queue: no consumer for this queue', { count: batch.messages.length });
    batch.retryAll();
  },

  async scheduled(controller, bindings, _ctx) {
    const env = parseEnv(bindings);
    const logger = createLogger(env.LOG_LEVEL, { cron: controller.cron });
    await sweepMissingWallets(env, logger);
    await sweepStuckMedia(env, logger, new Date(controller.scheduledTime));
    const report = await runRenewals(
      createDb(env.DATABASE_URL, undefined, { timeoutMs: env.DB_STATEMENT_TIMEOUT_MS }),
      new Date(controller.scheduledTime),
      {
        feeBps: env.PLATFORM_FEE_BPS,
        graceDays: env.SUBSCRIPTION_GRACE_DAYS,
        toss: new TossClient(env),
      },
    );
    if (report.examined) logger.info('renewals', { ...report });
    const payments = await reconcilePayments(
      createDb(env.DATABASE_URL, undefined, { timeoutMs: env.DB_STATEMENT_TIMEOUT_MS }),
      env,
      new Date(controller.scheduledTime),
      (level, msg, f) => logger[level](msg, f),
    );
    if (payments.settled || payments.recovered || payments.expired || payments.flagged)
      logger.info('payment reconciliation', { ...payments });
    const ledger = await checkLedgerInvariants(
      createDb(env.DATABASE_URL, undefined, { timeoutMs: env.DB_STATEMENT_TIMEOUT_MS }),
    );
    if (!ledger.ok) logger.error('ledger invariants broken', { ...ledger });
    const deletions = await runAccountDeletions(env, logger, new Date(controller.scheduledTime));
    if (deletions.due) logger.info('account deletions', { ...deletions });
  },
} satisfies ExportedHandler<Bindings>;
