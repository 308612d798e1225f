// The local video back-end: ffmpeg (Debian package) makes the same outputs as the MediaConvert job — an HLS
// ladder (1080p/720p/480p, never above the source), an MP4 fallback per rendition, 5 frame captures — and
// ffprobe gives duration and dimensions. Progress is reported as ffmpeg advances.
import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export const LADDER = [
  { name: '1080p', height: 1080, videoKbps: 5000, audioKbps: 128 },
  { name: '720p', height: 720, videoKbps: 2500, audioKbps: 96 },
  { name: '480p', height: 480, videoKbps: 1000, audioKbps: 64 },
] as const;
export const FRAME_CAPTURES = 5;

export interface Probe {
  durationMs: number;
  width: number;
  height: number;
  hasAudio: boolean;
}

function run(bin: string, args: string[], onStdout?: (chunk: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      onStdout?.(d.toString());
    });
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${bin} exited ${code}: ${err.slice(-500)}`)),
    );
  });
}

export async function probe(ffprobe: string, file: string): Promise<Probe> {
  const out = JSON.parse(
    await run(ffprobe, [
      '-v',
      'error',
      '-show_entries',
      'format=duration:stream=codec_type,width,height',
      '-of',
      'json',
      file,
    ]),
  ) as {
    format?: { duration?: string };
    streams?: Array<{ codec_type: string; width?: number; height?: number }>;
  };
  const video = out.streams?.find((s) => s.codec_type === 'video');
  if (!video?.width || !video.height) throw new Error('no video stream');
  return {
    durationMs: Math.round(Number(out.format?.duration ?? 0) * 1000),
    width: video.width,
    height: video.height,
    hasAudio: Boolean(out.streams?.some((s) => s.codec_type === 'audio')),
  };
}

/** The renditions for a source: every rung at or below its height, at least the smallest. */
export function ladderFor(sourceHeight: number) {
  const rungs = LADDER.filter((r) => r.height <= sourceHeight);
  return rungs.length ? rungs : [LADDER[LADDER.length - 1]];
}

export interface VideoResult {
  probe: Probe;
  /** Files written under outDir, relative paths. */
  files: string[];
  variants: Record<string, string>;
  thumbnails: string[];
}

/** Transcodes `source` into outDir; `progress` gets 0–99 as the work advances. */
export async function transcodeWithFfmpeg(
  ffmpeg: string,
  ffprobe: string,
  source: string,
  outDir: string,
  progress: (pct: number) => void,
): Promise<VideoResult> {
  const info = await probe(ffprobe, source);
  const rungs = ladderFor(info.height);
  const variants: Record<string, string> = {};
  const master = ['#EXTM3U', '#EXT-X-VERSION:3'];
  const totalUs = Math.max(1, info.durationMs * 1000);
  for (const [i, r] of rungs.entries()) {
    const dir = join(outDir, 'hls', r.name);
    await mkdir(dir, { recursive: true });
    await mkdir(join(outDir, 'mp4'), { recursive: true });
    const scale = `scale=-2:${Math.min(r.height, info.height - (info.height % 2))}`;
    const common = [
      '-vf',
      scale,
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-b:v',
      `${r.videoKbps}k`,
      '-maxrate',
      `${r.videoKbps}k`,
      '-bufsize',
      `${r.videoKbps * 2}k`,
      '-g',
      '48',
      '-sc_threshold',
      '0',
    ];
    const audio = info.hasAudio
      ? ['-c:a', 'aac', '-b:a', `${r.audioKbps}k`, '-ac', '2', '-ar', '48000']
      : ['-an'];
    // Encoded once per rung (the MP4); the HLS rendition is the same streams segmented without re-encoding.
    const mp4 = join(outDir, 'mp4', `${r.name}.mp4`);
    await run(
      ffmpeg,
      [
        '-hide_banner',
        '-y',
        '-nostdin',
        '-progress',
        'pipe:1',
        '-i',
        source,
        ...common,
        ...audio,
        '-movflags',
        '+faststart',
        mp4,
      ],
      (chunk) => {
        const m = /out_time_us=(\d+)/.exec(chunk);
        if (m)
          progress(
            Math.min(99, Math.floor(((i + Number(m[1]) / totalUs) / (rungs.length + 0.2)) * 100)),
          );
      },
    );
    await run(ffmpeg, [
      '-hide_banner',
      '-y',
      '-nostdin',
      '-i',
      mp4,
      '-c',
      'copy',
      '-f',
      'hls',
      '-hls_time',
      '4',
      '-hls_playlist_type',
      'vod',
      '-hls_segment_filename',
      join(dir, 'seg_%03d.ts'),
      join(dir, 'index.m3u8'),
    ]);
    const width = Math.round((info.width * Math.min(r.height, info.height)) / info.height / 2) * 2;
    master.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${(r.videoKbps + r.audioKbps) * 1000},RESOLUTION=${width}x${Math.min(r.height, info.height)}`,
      `${r.name}/index.m3u8`,
    );
    variants[`mp4_${r.name}`] = `mp4/${r.name}.mp4`;
  }
  await writeFile(join(outDir, 'hls', 'master.m3u8'), `${master.join('\n')}\n`);
  variants.hls = 'hls/master.m3u8';
  await mkdir(join(outDir, 'thumbnails'), { recursive: true });
  const thumbnails: string[] = [];
  for (let n = 0; n < FRAME_CAPTURES; n++) {
    const at = ((n + 0.5) / FRAME_CAPTURES) * (info.durationMs / 1000);
    const file = `thumbnails/frame-${n + 1}.jpg`;
    await run(ffmpeg, [
      '-hide_banner',
      '-y',
      '-nostdin',
      '-ss',
      at.toFixed(2),
      '-i',
      source,
      '-frames:v',
      '1',
      '-vf',
      'scale=640:-2',
      '-q:v',
      '4',
      join(outDir, file),
    ]);
    thumbnails.push(file);
  }
  progress(99);
  const files = (await readdir(outDir, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => relative(outDir, join(d.parentPath, d.name)));
  return { probe: info, files, variants, thumbnails };
}
