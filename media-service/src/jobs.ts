// Runs jobs the Worker sent: reads the original, checks its real type, makes the outputs, stores them under
// the job's prefix and reports progress and the result through the signed callback (retried with backoff;
// a callback the Worker refuses as replayed or out of date is not retried). Jobs run a few at a time, each
// with a timeout; a job lost in a crash is dispatched again by the Worker's sweeper.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { MediaServiceConfig } from './config.ts';
import { imageVariants } from './images.ts';
import { signedHeaders } from './signing.ts';
import { ContentMismatch, assertContentMatches } from './sniff.ts';
import { Storage } from './storage.ts';
import { probe, transcodeWithFfmpeg } from './video-ffmpeg.ts';
import { mediaConvertClient, submitMediaConvertJob } from './video-mediaconvert.ts';
import type { MediaConvertClient } from '@aws-sdk/client-mediaconvert';

export const jobSchema = z.object({
  jobId: z.string().min(1).max(128),
  mediaId: z.uuid(),
  ownerId: z.string().min(1).max(64),
  type: z.enum(['image', 'video', 'audio', 'document']),
  mimeType: z.string().min(1),
  sourceKey: z.string().min(1).max(512),
  outputPrefix: z.string().regex(/^processed\/[\w-]+\/[\w-]+\/$/),
  callbackUrl: z.url(),
  watermark: z.string().max(60).optional(),
  /** Images: posting media (default), a profile picture or a cover image — each with its own sizes. */
  purpose: z.enum(['post', 'avatar', 'cover']).default('post'),
});
export type Job = z.infer<typeof jobSchema>;

export interface Callback {
  jobId: string;
  mediaId: string;
  state: 'progressing' | 'complete' | 'error';
  progress?: number;
  result?: {
    variants: Record<string, string>;
    thumbnails: string[];
    width?: number;
    height?: number;
    durationMs?: number;
  };
  errorCode?: string;
  errorMessage?: string;
}

const log = (level: string, msg: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Posts a callback; 2xx or a definitive refusal (409: replayed / out of date) ends it, anything else retries. */
export async function sendCallback(
  config: MediaServiceConfig,
  url: string,
  cb: Callback,
  attempts = 6,
): Promise<'delivered' | 'refused' | 'failed'> {
  const body = JSON.stringify(cb);
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: signedHeaders(config.MEDIA_SERVICE_SECRET, 'callback', body),
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (res.ok) return 'delivered';
      if (res.status === 409 || res.status === 404) return 'refused';
      log('warn', 'callback answered', { jobId: cb.jobId, state: cb.state, status: res.status });
    } catch (err) {
      log('warn', 'callback failed', {
        jobId: cb.jobId,
        state: cb.state,
        error: (err as Error).message,
      });
    }
    await sleep(Math.min(250 * 2 ** i, 8_000));
  }
  return 'failed';
}

export class JobRunner {
  private readonly queue: Job[] = [];
  private running = 0;
  private readonly storage: Storage;
  readonly active = new Set<string>();
  private readonly config: MediaServiceConfig;
  private mediaConvert: MediaConvertClient | undefined;

  constructor(config: MediaServiceConfig) {
    this.config = config;
    this.storage = new Storage(config);
  }

  /** Accepts a job (a job id already queued or running is not taken twice). */
  submit(job: Job): boolean {
    if (this.active.has(job.jobId)) return false;
    this.active.add(job.jobId);
    this.queue.push(job);
    this.pump();
    return true;
  }

  private pump(): void {
    while (this.running < this.config.JOB_CONCURRENCY && this.queue.length) {
      const job = this.queue.shift()!;
      this.running++;
      void this.runWithTimeout(job).finally(() => {
        this.running--;
        this.active.delete(job.jobId);
        this.pump();
      });
    }
  }

  private async runWithTimeout(job: Job): Promise<void> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`timed out after ${this.config.JOB_TIMEOUT_MS} ms`)),
        this.config.JOB_TIMEOUT_MS,
      );
    });
    try {
      const result = await Promise.race([this.process(job), timeout]);
      // MediaConvert: submitted; its state events report progress and the result.
      if (result === 'submitted') {
        log('info', 'job submitted to MediaConvert', {
          jobId: job.jobId,
          ms: Date.now() - started,
        });
        return;
      }
      await sendCallback(this.config, job.callbackUrl, {
        jobId: job.jobId,
        mediaId: job.mediaId,
        state: 'complete',
        result,
      });
      log('info', 'job complete', { jobId: job.jobId, type: job.type, ms: Date.now() - started });
    } catch (err) {
      const code = err instanceof ContentMismatch ? err.code : 'PROCESSING_FAILED';
      log('warn', 'job failed', { jobId: job.jobId, code, error: (err as Error).message });
      await sendCallback(this.config, job.callbackUrl, {
        jobId: job.jobId,
        mediaId: job.mediaId,
        state: 'error',
        errorCode: code,
        errorMessage: (err as Error).message.slice(0, 500),
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private async process(job: Job): Promise<NonNullable<Callback['result']> | 'submitted'> {
    await assertContentMatches(job.type, job.mimeType, await this.storage.head(job.sourceKey));
    const key = (name: string) => `${job.outputPrefix}${name}`;
    if (job.type === 'video' && this.config.TRANSCODER === 'mediaconvert') {
      const info = await probe(
        this.config.FFPROBE_PATH,
        await this.storage.presignedGet(job.sourceKey),
      );
      this.mediaConvert ??= mediaConvertClient(this.config);
      await submitMediaConvertJob(this.mediaConvert, this.config, job, info);
      return 'submitted';
    }
    const original = await this.storage.get(job.sourceKey);
    if (job.type === 'image') {
      const { width, height, outputs } = await imageVariants(original, {
        watermark: job.watermark,
        purpose: job.purpose,
      });
      for (const o of outputs) await this.storage.put(key(`${o.name}.webp`), o.data, 'image/webp');
      return {
        variants: Object.fromEntries(outputs.map((o) => [o.name, key(`${o.name}.webp`)])),
        thumbnails: [],
        width,
        height,
      };
    }
    if (job.type === 'video') {
      const dir = await mkdtemp(join(tmpdir(), 'crefans-video-'));
      try {
        const source = join(dir, 'source');
        await writeFile(source, original);
        let last = -1;
        const out = join(dir, 'out');
        const result = await transcodeWithFfmpeg(
          this.config.FFMPEG_PATH,
          this.config.FFPROBE_PATH,
          source,
          out,
          (pct) => {
            if (pct - last < 20) return;
            last = pct;
            void sendCallback(
              this.config,
              job.callbackUrl,
              { jobId: job.jobId, mediaId: job.mediaId, state: 'progressing', progress: pct },
              2,
            );
          },
        );
        for (const f of result.files)
          await this.storage.putFile(key(f), join(out, f), contentTypeOf(f));
        return {
          variants: Object.fromEntries(
            Object.entries(result.variants).map(([k, v]) => [k, key(v)]),
          ),
          thumbnails: result.thumbnails.map(key),
          width: result.probe.width,
          height: result.probe.height,
          durationMs: result.probe.durationMs,
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    // Audio and documents: the type check is the processing; the original is what is served.
    return { variants: {}, thumbnails: [] };
  }
}

export function contentTypeOf(file: string): string {
  if (file.endsWith('.m3u8')) return 'application/vnd.apple.mpegurl';
  if (file.endsWith('.ts')) return 'video/mp2t';
  if (file.endsWith('.mp4')) return 'video/mp4';
  if (file.endsWith('.jpg')) return 'image/jpeg';
  return 'application/octet-stream';
}
