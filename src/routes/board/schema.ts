// Shapes of the public board, as the web client's board pages read them.
import { z } from '@hono/zod-openapi';
import { BOARD_CATEGORIES } from '../../db/schema/index.ts';

/** `NOTICE` / `EVENT` as the client sends them (lower case accepted too); stored in lower case. */
export const BoardCategoryParam = z
  .string()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(BOARD_CATEGORIES))
  .openapi({ type: 'string', enum: ['NOTICE', 'EVENT'], example: 'NOTICE' });

export const PageParams = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(50).default(10),
};

export const BoardIdParam = z.object({ id: z.uuid() });

export const BoardListItem = z
  .object({
    id: z.string(),
    title: z.string(),
    category: z.enum(BOARD_CATEGORIES),
    categoryName: z.string(),
    created_at: z.string(),
    published_at: z.string().nullable(),
    views: z.number().int(),
    is_important: z.boolean(),
    excerpt: z.string(),
    author: z.string(),
  })
  .openapi('BoardListItem');

export const BoardDetail = BoardListItem.extend({
  content: z.string(),
  updated_at: z.string(),
  is_published: z.literal(true),
}).openapi('BoardDetail');

export const Pagination = z.object({
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
  totalPages: z.number().int(),
});
