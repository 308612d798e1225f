// Shapes of the admin board, as the admin client's board page reads and sends them.
import { z } from '@hono/zod-openapi';
import { BoardCategoryParam } from '../../board/schema.ts';

export const AdminBoardPost = z
  .object({
    id: z.string(),
    title: z.string(),
    content: z.string(),
    excerpt: z.string().nullable(),
    category: z.object({ code: z.string(), name: z.string() }),
    is_important: z.boolean(),
    is_published: z.boolean(),
    views: z.number().int(),
    author: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    published_at: z.string().nullable(),
    is_deleted: z.boolean(),
    deleted_at: z.string().nullable(),
    created_by: z.string(),
    updated_by: z.string().nullable(),
    deleted_by: z.string().nullable(),
    restored_by: z.string().nullable(),
    restored_at: z.string().nullable(),
  })
  .openapi('AdminBoardPost');

const fields = {
  title: z.string().trim().min(1).max(200),
  content: z.string().trim().min(1).max(100_000),
  category: BoardCategoryParam,
  is_important: z.boolean().optional(),
  /** The admin form calls it a memo; the web client's list shows it as the summary. */
  excerpt: z.string().trim().max(500).nullish(),
  author: z.string().trim().max(100).optional(),
  publishNow: z.boolean().optional(),
};

export const CreateBoardBody = z.object(fields).openapi('CreateBoardPost');

export const UpdateBoardBody = z
  .object({
    title: fields.title.optional(),
    content: fields.content.optional(),
    category: fields.category.optional(),
    is_important: fields.is_important,
    excerpt: fields.excerpt,
    author: fields.author,
    publishNow: fields.publishNow,
  })
  .openapi('UpdateBoardPost');

/** Body fields (snake_case as the admin form names them) to the domain's input. */
export function toInput<T extends { is_important?: boolean }>(body: T) {
  const { is_important: isImportant, ...rest } = body;
  return { ...rest, ...(isImportant !== undefined ? { isImportant } : {}) };
}
