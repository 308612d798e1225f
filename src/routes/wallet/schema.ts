// Shapes of the viewer's wallets and their KNG transfer history.
import { z } from '@hono/zod-openapi';

export const WalletView = z
  .object({
    address: z.string(),
    tokenType: z.object({ symbol: z.string(), name: z.string(), price: z.number() }),
    amount: z.number().int(),
    ownedSince: z.string(),
  })
  .openapi('Wallet');

export const TransferView = z
  .object({
    id: z.string(),
    direction: z.enum(['in', 'out']),
    amount: z.number().int(),
    reason: z.string().openapi({ description: "The transfer reason's code" }),
    referenceType: z.string().nullable(),
    referenceId: z.string().nullable(),
    balanceAfter: z.number().int().openapi({ description: "This wallet's balance after it" }),
    counterpartyWallet: z.string(),
    createdAt: z.string(),
  })
  .openapi('Transfer');

export const TransferQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
