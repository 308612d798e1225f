// Shapes shared by the /user endpoints, as the web client's profile, settings and creator pages
// read them (shared/reference/original-crefans.md).
import { z } from '@hono/zod-openapi';

export const HandleParam = z.object({ handle: z.string().min(1).max(32) });

export const CreatorCategory = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    color_code: z.string().nullable(),
    icon: z.string().nullable(),
    sort_order: z.number().int(),
  })
  .openapi('CreatorCategory');

/**
 * A membership tier on sale (domain/memberships tierView). A copy of routes/membership's
 * `MembershipItem`, kept identical (one OpenAPI component) until the membership split exports it.
 */
export const Tier = z
  .object({
    id: z.string(),
    creator_id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    benefits: z.string(),
    benefit_list: z.array(z.string()),
    level: z.number().int(),
    price: z.number().int().openapi({ description: 'KRW: what a card is charged per period' }),
    priceKng: z.number().int().openapi({ description: 'KNG: what a KNG subscription debits' }),
    billing_unit: z.string(),
    billing_period: z.number().int(),
    trial_unit: z.string(),
    trial_period: z.number().int(),
    is_active: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('MembershipItem');

/** A public profile (domain/profiles ProfileView). */
export const Profile = z
  .object({
    id: z.string(),
    handle: z.string(),
    name: z.string(),
    avatar: z.string().nullable(),
    bannerImage: z.string().nullable(),
    bio: z.string(),
    isCreator: z.boolean(),
    isVerified: z.boolean(),
    followersCount: z.number().int(),
    followingCount: z.number().int(),
    postsCount: z.number().int(),
    mediaCount: z.number().int(),
    userSub: z.string(),
    isFollowing: z.boolean(),
    category: CreatorCategory.nullable(),
    membershipItems: z.array(Tier),
    hasSubscription: z.boolean(),
    subscribedMembershipIds: z.array(z.string()),
  })
  .openapi('Profile');

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
/**
 * A posting as the viewer may see it (domain/postings PostingView). A copy of routes/postings'
 * `Posting`, kept identical (one OpenAPI component): the integrator points this at that one once
 * the postings split exports it.
 */
// PostingResponse with the FeedPost names and the snake_case counts the web client's pages read.
export const Posting = z
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
        unlockPrice: z.number().nullable(),
        requiredLevel: z.number().nullable(),
        cheapestTier: OfferTier.nullable(),
      })
      .nullable(),
    membershipLevel: z.number().int().nullable(),
    publishStartAt: z.string().nullable(),
    publishEndAt: z.string().nullable(),
    allowIndividualPurchase: z.boolean(),
    individualPurchasePrice: z.number().nullable(),
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

/** My name and phone number (PATCH /user/me, POST /user/me/phone/verify). */
export const PersonalInfo = z
  .object({
    name: z.string(),
    phoneNumber: z.string().nullable().openapi({ description: 'The verified number (E.164)' }),
    pendingPhoneNumber: z
      .string()
      .nullable()
      .openapi({ description: 'A new number waiting for its code' }),
    phoneVerificationRequired: z.boolean(),
  })
  .openapi('PersonalInfo');

/** A processed image of the viewer's (or null to remove it): PUT /user/profile-image, cover-image. */
export const ImageBody = z.object({ mediaId: z.uuid().nullable() });
