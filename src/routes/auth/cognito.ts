// Cognito glue shared by the /auth endpoints: error mapping, the after-confirmation step and the
// best-effort attribute copy.
import type { Context } from 'hono';
import { cognitoFor } from '../../auth/client.ts';
import { fromCognito } from '../../auth/cognito-errors.ts';
import type { AppEnv } from '../../context.ts';
import { activateUser } from '../../domain/identity.ts';

/** Awaits a Cognito call and maps its failure to our error table. */
export async function cognitoCall<T>(
  promise: Promise<T>,
  context: Parameters<typeof fromCognito>[1],
): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    throw fromCognito(err, context);
  }
}

/** After confirmation: activate the mirror and ask for the wallet (the sweeper repairs a lost message). */
export async function afterConfirmation(c: Context<AppEnv>, email: string): Promise<void> {
  const { db, logger, clock } = c.get('services');
  const userId = await activateUser(db, email, clock.now());
  if (!userId) {
    logger.error('confirmation: no local user for a confirmed Cognito account');
    return;
  }
  try {
    await c.get('env').WALLET_QUEUE.send({ userId });
  } catch (err) {
    logger.error('confirmation: wallet message not enqueued; the sweeper will repair', {
      userId,
      error: err,
    });
  }
}

/** The database is the source of truth; Cognito gets a copy for the id token, logged when it fails. */
export async function syncAttributes(
  c: Context<AppEnv>,
  accessToken: string,
  attributes: Record<string, string>,
): Promise<void> {
  try {
    await cognitoFor(c).updateAttributes(accessToken, attributes);
  } catch (err) {
    c.get('services').logger.warn('cognito attribute sync failed', {
      attributes: Object.keys(attributes),
      error: err,
    });
  }
}
