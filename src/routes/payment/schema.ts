// Shapes shared by the /payment endpoints: a payment as the client reads it and the provider's record.
import { z } from '@hono/zod-openapi';

export const PaymentViewSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    orderName: z.string(),
    paymentKey: z.string().nullable(),
    amount: z.number().int(),
    tokenAmount: z.number().int(),
    tokenType: z.object({ symbol: z.string(), name: z.string(), price: z.number() }),
    token: z.object({ symbol: z.string(), amount: z.number().int() }),
    status: z.string(),
    method: z.string().nullable(),
    approvedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    canceledAmount: z.number().int(),
    failureCode: z.string().nullable(),
    failureMessage: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Payment');

/** Toss's payment object (lib/toss.ts `TossPayment`) as Toss answers it: the fields we read, and the rest. */
export const TossPaymentSchema = z
  .object({
    paymentKey: z.string(),
    orderId: z.string(),
    orderName: z.string().optional(),
    status: z.enum([
      'READY',
      'IN_PROGRESS',
      'WAITING_FOR_DEPOSIT',
      'DONE',
      'CANCELED',
      'PARTIAL_CANCELED',
      'ABORTED',
      'EXPIRED',
    ]),
    method: z.string().nullish(),
    totalAmount: z.number(),
    balanceAmount: z.number(),
    approvedAt: z.string().nullish(),
    secret: z.string().nullish(),
    lastTransactionKey: z.string().nullish(),
    cancels: z
      .array(
        z.object({
          transactionKey: z.string(),
          cancelAmount: z.number(),
          canceledAt: z.string(),
        }),
      )
      .nullish(),
  })
  .catchall(z.unknown())
  .openapi('TossPayment', { description: "Toss Payments' own record of the payment" });

export const PaymentKeyParam = z.object({ paymentKey: z.string().min(1).max(200) });
