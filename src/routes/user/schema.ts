// Shapes shared by the /user endpoints, as the web client's profile, settings and creator pages
// read them (shared/reference/original-crefans.md).
import { z } from '@hono/zod-openapi';
import { Tier as MembershipTier } from '../membership/schema.ts';
import { PostingSchema } from '../postings/schema.ts';

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

/** A membership tier on sale: routes/membership's one shape. */
export const Tier = MembershipTier;

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

/** A posting as the viewer may see it: the postings routes' one shape. */
export const Posting = PostingSchema;

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
