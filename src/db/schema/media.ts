import {
  bigint,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  tinyint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';
import { at, createdAt, deletedAt, id, ref, timestamps } from './columns.ts';

export const MEDIA_TYPES = ['image', 'video', 'audio', 'document'] as const;
export const MEDIA_STATUSES = ['uploading', 'uploaded', 'processing', 'ready', 'failed'] as const;
/** What an image is for: posting media, a profile picture (square variants) or a cover image (banner variants). */
export const MEDIA_PURPOSES = ['post', 'avatar', 'cover'] as const;
export type MediaPurpose = (typeof MEDIA_PURPOSES)[number];

/** An uploaded file. The storage key is chosen by the server, never by the client. */
export const medias = mysqlTable(
  'medias',
  {
    id: id(),
    ownerId: ref('owner_id').notNull(),
    type: mysqlEnum('type', MEDIA_TYPES).notNull(),
    originalName: varchar('original_name', { length: 255 }).notNull(),
    mimeType: varchar('mime_type', { length: 100 }).notNull(),
    fileSize: bigint('file_size', { mode: 'number', unsigned: true }).notNull(),
    storageKey: varchar('storage_key', { length: 512 }).notNull(),
    status: mysqlEnum('status', MEDIA_STATUSES).notNull().default('uploading'),
    progress: tinyint('progress', { unsigned: true }).notNull().default(0),
    width: int('width', { unsigned: true }),
    height: int('height', { unsigned: true }),
    durationMs: int('duration_ms', { unsigned: true }),
    /** Processed outputs by name (e.g. `w480`, `hls`), as storage keys. */
    variants: json('variants').$type<Record<string, string>>(),
    thumbnails: json('thumbnails').$type<string[]>(),
    multipartUploadId: varchar('multipart_upload_id', { length: 512 }),
    processingJobId: varchar('processing_job_id', { length: 128 }),
    processingAttempts: tinyint('processing_attempts', { unsigned: true }).notNull().default(0),
    errorMessage: varchar('error_message', { length: 500 }),
    processedAt: at('processed_at'),
    deletedAt: deletedAt(),
    purpose: mysqlEnum('purpose', MEDIA_PURPOSES).notNull().default('post'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('medias_storage_key_uq').on(t.storageKey),
    index('medias_owner_created_idx').on(t.ownerId, t.createdAt, t.id),
    // Stuck-job sweeper.
    index('medias_status_updated_idx').on(t.status, t.updatedAt),
  ],
);

export type Media = typeof medias.$inferSelect;

/**
 * Processing callbacks applied, one row per (job, event): a replayed or duplicated webhook finds its row and
 * changes nothing. `event` is the state, plus the percentage for progress updates.
 */
export const mediaJobEvents = mysqlTable(
  'media_job_events',
  {
    jobId: varchar('job_id', { length: 128 }).notNull(),
    event: varchar('event', { length: 32 }).notNull(),
    mediaId: ref('media_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: 'media_job_events_pk', columns: [t.jobId, t.event] })],
);
