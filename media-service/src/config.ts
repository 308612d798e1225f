import { z } from 'zod';

export const configSchema = z.object({
  PORT: z.coerce.number().int().positive().default(3930),
  HOST: z.string().default('127.0.0.1'),
  FFMPEG_PATH: z.string().default('ffmpeg'),
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
