import { z } from 'zod';

export const configSchema = z.object({
  PORT: z.coerce.number().int().positive().default(3930),
  HOST: z.string().default('127.0.0.1'),
  FFMPEG_PATH: z.string().default('ffmpeg'),
  FFPROBE_PATH: z.string().default('ffprobe'),
  /** Shared with the Worker: verifies jobs (`job:` purpose) and signs callbacks (`callback:`). */
  MEDIA_SERVICE_SECRET: z.string().min(16),
  S3_ENDPOINT: z.url(),
  S3_BUCKET: z.string().min(1),
  S3_REGION: z.string().min(1).default('auto'),
  S3_ACCESS_KEY_ID: z.string().min(1),
  S3_SECRET_ACCESS_KEY: z.string().min(1),
  /** Video back-end: ffmpeg locally, AWS Elemental MediaConvert in production. */
  TRANSCODER: z.enum(['ffmpeg', 'mediaconvert']).default('ffmpeg'),
  /** MediaConvert: account endpoint, role ARN and queue (required with TRANSCODER=mediaconvert). */
  MEDIACONVERT_ENDPOINT: z.url().optional(),
  MEDIACONVERT_REGION: z.string().default('ap-northeast-2'),
  MEDIACONVERT_ROLE_ARN: z.string().optional(),
  MEDIACONVERT_QUEUE_ARN: z.string().optional(),
  /** The bucket as MediaConvert names it (s3://bucket/…). */
  MEDIACONVERT_BUCKET: z.string().optional(),
  /** EventBridge → media-service: the API destination sends this value in X-Crefans-Events-Token. */
  MEDIACONVERT_EVENTS_TOKEN: z.string().min(16).optional(),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** A job running longer than this fails (the Worker's sweeper may dispatch it again). */
  JOB_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(15 * 60_000),
});

export type MediaServiceConfig = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv): MediaServiceConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`media-service: invalid configuration: ${names}`);
  }
  return parsed.data;
}
