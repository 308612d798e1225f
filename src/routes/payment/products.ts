// GET /payment/products — KNG packs for sale (price in KRW, VAT included).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { KNG_PRODUCTS } from '../../domain/payments.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, jsonContent } from '../../lib/openapi.ts';

export const productsRoute = createRoute({
  method: 'get',
  path: '/products',
  tags: ['payment'],
  summary: 'KNG packs for sale (price in KRW, VAT included)',
  responses: {
    200: jsonContent(
      envelope(
        z.array(
          z.object({ code: z.string(), tokenAmount: z.number().int(), price: z.number().int() }),
        ),
      ),
      'Products',
    ),
  },
});

export const products = new OpenAPIHono<AppEnv>().openapi(productsRoute, (c) =>
  ok(
    c,
    KNG_PRODUCTS.map((p) => ({ ...p })),
  ),
);
