// Shapes of the explore pages, as the web client's Explore page reads them.
import { z } from '@hono/zod-openapi';
import { envelope } from '../../lib/openapi.ts';
import { CreatorCategory } from '../user/schema.ts';

export const ExplorePageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

// The user routes' CreatorCategory with its active flag (its own component: the two differ).
export const Category = CreatorCategory.extend({ is_active: z.boolean() }).openapi(
  'ExploreCategory',
);

export const ExploreCreator = z
  .object({
    id: z.string(),
    nickname: z.string(),
    handle: z.string(),
    avatar: z.string().nullable(),
    bio: z.string(),
    followerCount: z.number().int(),
    postCount: z.number().int(),
    category: z
      .object({
        id: z.string(),
        name: z.string(),
        color_code: z.string().nullable(),
        icon: z.string().nullable(),
      })
      .nullable(),
    isNew: z.boolean(),
    bannerImage: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('ExploreCreator');

export const CreatorPage = envelope(
  z.object({
    creators: z.array(ExploreCreator),
    nextCursor: z.string().nullable(),
    hasMore: z.boolean(),
    category: Category.optional().openapi({ description: 'The category asked for (by-category)' }),
  }),
);
