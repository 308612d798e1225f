// The owner's view of a media (domain/media-views.ts), as the routes under /media answer it.
import { z } from '@hono/zod-openapi';
import type { MediaPurpose } from '../../db/schema/index.ts';

export const MediaIdParam = z.object({ mediaId: z.uuid() });

/** What an image is for: a posting (default), a profile picture (square sizes) or a cover image. */
export const MediaPurposeSchema = z
  .enum(['post', 'avatar', 'cover', 'POST', 'AVATAR', 'COVER'])
  .transform((p) => p.toLowerCase() as MediaPurpose);

export const MediaStatusSchema = z.enum(['UPLOADING', 'PROCESSING', 'COMPLETED', 'FAILED']);

export const MediaViewSchema = z
  .object({
    id: z.string(),
    mediaId: z.string(),
    type: z.string(),
    originalName: z.string(),
    fileName: z.string(),
    mimeType: z.string(),
    fileSize: z.number().int(),
    s3Key: z.string(),
    status: MediaStatusSchema,
    processingStatus: MediaStatusSchema,
    purpose: z.enum(['POST', 'AVATAR', 'COVER']),
    progress: z.number().int(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    duration: z.number().nullable(),
    mediaUrl: z.string(),
    processedUrls: z.record(z.string(), z.string()),
    thumbnailUrls: z.array(z.string()),
    errorMessage: z.string().nullable(),
    processedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Media');
