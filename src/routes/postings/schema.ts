// The posting as every channel serves it (domain/postings PostingView): the postings routes, the
// feeds and the profile's posts list all answer this one shape.
import { z } from '@hono/zod-openapi';

const Person = z.object({
  id: z.string(),
  handle: z.string(),
  name: z.string(),
  avatar: z.string().nullable(),
});
const OfferTier = z.object({
  id: z.string(),
  name: z.string(),
  level: z.number().int(),
  price: z.number().int(),
  priceKng: z.number().int().optional(),
});
// PostingResponse with the FeedPost names and the snake_case counts the web client's pages read.
export const PostingSchema = z
  .object({
    id: z.string(),
    userSub: z.string(),
    user: Person,
    title: z.string(),
    content: z.string().openapi({ description: 'Empty when the viewer has no access' }),
    status: z.string(),
    isMembership: z.boolean(),
    isGotMembership: z.boolean(),
    hasAccess: z.boolean(),
    access: z.enum(['full', 'preview']),
    lockReason: z.string().nullable(),
    offer: z
      .object({
        unlockPrice: z
          .number()
          .nullable()
          .openapi({ description: 'KRW (shown with 원); unlockPriceKng is what unlocking debits' }),
        unlockPriceKng: z.number().int().nullable(),
        requiredLevel: z.number().nullable(),
        cheapestTier: OfferTier.nullable(),
      })
      .nullable(),
    membershipLevel: z.number().int().nullable(),
    publishStartAt: z.string().nullable(),
    publishEndAt: z.string().nullable(),
    allowIndividualPurchase: z.boolean(),
    individualPurchasePrice: z.number().nullable().openapi({
      description: 'KRW (shown with 원); individualPurchasePriceKng is what unlocking debits',
    }),
    individualPurchasePriceKng: z.number().int().nullable(),
    isPublic: z.boolean(),
    isSensitive: z.boolean(),
    totalViewCount: z.number().int(),
    uniqueViewCount: z.number().int(),
    likeCount: z.number().int(),
    commentCount: z.number().int(),
    allowComments: z.boolean(),
    publishedAt: z.string().nullable(),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    medias: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        originalName: z.string(),
        mediaUrl: z.string(),
        processingStatus: z.string(),
        isFreePreview: z.boolean(),
        duration: z.number().nullable(),
      }),
    ),
    isLiked: z.boolean(),
    isMembershipOnly: z.boolean(),
    creator: Person,
    media: z.array(
      z.object({
        id: z.string(),
        fileName: z.string(),
        mediaUrl: z.string(),
        type: z.string(),
        processingStatus: z.string(),
        thumbnailUrls: z.array(z.string()),
      }),
    ),
    images: z.array(z.object({ url: z.string(), isPublic: z.boolean() })),
    textLength: z.number().int(),
    imageCount: z.number().int(),
    videoCount: z.number().int(),
    lockedMediaCount: z.number().int(),
    total_view_count: z.number().int(),
    unique_view_count: z.number().int(),
    like_count: z.number().int(),
    comment_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
    published_at: z.string().nullable(),
  })
  .openapi('Posting');
