// Media processing speed on this machine, with media-service's own code: images per second for the whole
// variant set (thumbnail, 480/1080/1920 WebP, blurred preview) from a 12-megapixel JPEG, one at a time and
// two at a time; and the ffmpeg back-end's transcode speed (HLS ladder + MP4s + 5 frame captures) of a
// 30-second 1080p clip, as a multiple of real time. Records bench/results/media.{json,md}.
//   npm run bench:media   (BENCH_IMAGES, BENCH_VIDEO_SECONDS)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { imageVariants } from '../../media-service/src/images.ts';
import { transcodeWithFfmpeg } from '../../media-service/src/video-ffmpeg.ts';
import { record, summarize } from '../lib.ts';

const images = Number(process.env.BENCH_IMAGES ?? 20);
const videoSeconds = Number(process.env.BENCH_VIDEO_SECONDS ?? 30);
const log = (l: string) => console.log(`[bench] ${l}`);
const work = mkdtempSync(join(tmpdir(), 'crefans-media-bench-'));

try {
  // A photo-like source (noise compresses like a photo, unlike a flat colour): 4000×3000 JPEG q90.
  const raw = Buffer.alloc(4000 * 3000 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  const jpeg = await sharp(raw, { raw: { width: 4000, height: 3000, channels: 3 } })
    .blur(1.5)
    .jpeg({ quality: 90 })
    .toBuffer();
  log(
    `image source: 4000×3000 JPEG, ${(jpeg.length / 1024 / 1024).toFixed(1)} MB; ${images} images`,
  );
  await imageVariants(jpeg); // warm-up
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < images; i++) {
    const s = performance.now();
    await imageVariants(jpeg);
    times.push(performance.now() - s);
  }
  const sequentialPerSecond = images / ((performance.now() - t0) / 1000);
  const t1 = performance.now();
  await Promise.all(
    [0, 1].map(async () => {
      for (let i = 0; i < images / 2; i++) await imageVariants(jpeg);
    }),
  );
  const parallelPerSecond = images / ((performance.now() - t1) / 1000);

  const clip = join(work, 'clip.mp4');
  log(`video source: ${videoSeconds} s 1920×1080 24 fps H.264 + AAC`);
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=duration=${videoSeconds}:size=1920x1080:rate=24`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:duration=${videoSeconds}`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    clip,
  ]);
  const v0 = performance.now();
  const result = await transcodeWithFfmpeg(
    'ffmpeg',
    'ffprobe',
    clip,
    join(work, 'out'),
    () => undefined,
  );
  const transcodeSeconds = (performance.now() - v0) / 1000;
  const realtime = result.probe.durationMs / 1000 / transcodeSeconds;

  const data = {
    image: {
      source: '4000x3000 JPEG',
      count: images,
      msPerImage: summarize(times),
      sequentialPerSecond,
      twoAtATimePerSecond: parallelPerSecond,
    },
    video: {
      source: `${videoSeconds}s 1920x1080`,
      renditions: Object.keys(result.variants),
      files: result.files.length,
      transcodeSeconds,
      realtimeMultiple: realtime,
    },
  };
  const md = [
    '# Media processing (media-service code on this 2-core machine)',
    '',
    `Run ${new Date().toISOString()}.`,
    '',
    '| what | result |',
    '|---|---|',
    `| image variant set (thumbnail, w480, w1080, w1920, preview) from 4000×3000 JPEG, one at a time | ${sequentialPerSecond.toFixed(2)} images/s (p50 ${summarize(times).p50.toFixed(0)} ms) |`,
    `| same, two at a time | ${parallelPerSecond.toFixed(2)} images/s |`,
    `| video: ${videoSeconds} s 1080p → HLS 1080p/720p/480p + 3 MP4 + 5 frames (ffmpeg, veryfast) | ${transcodeSeconds.toFixed(1)} s = ${realtime.toFixed(2)}× real time |`,
  ].join('\n');
  record('media', data, md);
  console.log(md);
} finally {
  rmSync(work, { recursive: true, force: true });
}
