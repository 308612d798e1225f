// Shapes of a posting's comments, as the web client's posting page reads them (snake_case rows
// with camelCase extras).
import { z } from '@hono/zod-openapi';

export const CommentIdParam = z.object({ id: z.uuid() });

const Content = z.string().trim().min(1).max(1000);
const TaggedUserId = z.string().min(1).max(36).nullish();

export const CreateCommentBody = z.object({
  posting_id: z.uuid(),
  content: Content,
  parent_id: z.uuid().nullish(),
  tagged_user_id: TaggedUserId,
});

export const EditCommentBody = z.object({ content: Content, tagged_user_id: TaggedUserId });

const CommentRow = z.object({
  id: z.string(),
  posting_id: z.string(),
  author_id: z.string(),
  parent_id: z.string().nullable(),
  tagged_user_id: z.string().nullable(),
  content: z.string().nullable().openapi({ description: 'null once deleted' }),
  is_deleted: z.boolean(),
  created_at: z.string(),
});

export const CommentReply = CommentRow.extend({
  updated_at: z.string(),
  author: z
    .object({
      userId: z.string(),
      handle: z.string(),
      name: z.string(),
      avatar: z.string().nullable(),
    })
    .nullable()
    .openapi({ description: 'null once deleted' }),
  taggedUser: z.object({ userId: z.string(), handle: z.string(), name: z.string() }).nullable(),
  likeCount: z.number().int(),
  isLiked: z.boolean(),
}).openapi('CommentReply');

export const CommentThread = CommentReply.extend({
  children: z.array(CommentReply).openapi({ description: 'Replies, oldest first' }),
}).openapi('Comment');

export const CreatedComment = CommentRow.extend({
  content: z.string(),
  is_deleted: z.literal(false),
  children: z.array(CommentReply).openapi({ description: 'Always empty for a new comment' }),
}).openapi('CreatedComment');

export const EditedComment = z
  .object({ id: z.string(), content: z.string(), updated_at: z.string() })
  .openapi('EditedComment');

export const LikeResult = z.object({ liked: z.boolean(), likeCount: z.number().int() });
