// Shapes of the follow endpoints, in the web client's pagination shape.
import { z } from '@hono/zod-openapi';
import { envelope } from '../../lib/openapi.ts';

export const UserParam = z.object({ userId: z.string().min(1).max(36) });

/** `page` (offset, as the web client asks) or a keyset `cursor`; a cursor wins over a page. */
export const FollowPageQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const FollowListItem = z
  .object({
    userId: z.string(),
    nickname: z.string(),
    handle: z.string(),
    avatar: z.string().nullable(),
    followedAt: z.string(),
    isFollowedByRequester: z.boolean(),
  })
  .openapi('FollowListItem');

export const FollowList = envelope(
  z.object({
    items: z.array(FollowListItem),
    pagination: z.object({
      page: z.number().int().nullable().openapi({ description: 'null when paged by cursor' }),
      limit: z.number().int(),
      totalCount: z.number().int(),
      totalPages: z.number().int(),
      hasNext: z.boolean(),
      hasPrev: z.boolean(),
    }),
    nextCursor: z.string().nullable(),
  }),
);

export const DIRECTIONS = ['following', 'followers'] as const;
export type Direction = (typeof DIRECTIONS)[number];
