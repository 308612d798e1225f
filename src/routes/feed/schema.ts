// Shapes of the feeds, `{ success, data: [FeedPost], pagination }`, as the web client reads them.
import { z } from '@hono/zod-openapi';
import { PostingSchema } from '../postings/schema.ts';

export const FeedQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

// A feed item is the postings routes' Posting (one shape for every channel).
export const FeedPost = PostingSchema;

export const FeedBody = z.object({
  success: z.literal(true),
  data: z.array(FeedPost),
  pagination: z.object({
    page: z.number().int().nullable(),
    limit: z.number().int(),
    hasMore: z.boolean(),
    total: z.number().int().nullable(),
    nextCursor: z.string().nullable(),
    source: z.enum(['personal', 'discover', 'public']),
  }),
});
