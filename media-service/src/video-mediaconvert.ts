// The production video back-end: one AWS Elemental MediaConvert job per video (CreateJob with
// @aws-sdk/client-mediaconvert) making the same outputs as the ffmpeg back-end — an HLS ladder (1080p/720p/480p
// at or below the source), an MP4 per rung (moov first) and 5 frame captures — and the state events MediaConvert
// sends through EventBridge ("MediaConvert Job State Change": STATUS_UPDATE, COMPLETE, ERROR) mapped to our
// processing callbacks. The job carries our ids in its user metadata.
import {
  CreateJobCommand,
  MediaConvertClient,
  type CreateJobCommandInput,
  type Output,
} from '@aws-sdk/client-mediaconvert';
import { z } from 'zod';
import type { MediaServiceConfig } from './config.ts';
import type { Callback, Job } from './jobs.ts';
import { FRAME_CAPTURES, ladderFor, type Probe } from './video-ffmpeg.ts';

const QVBR_LEVEL: Record<string, number> = { '1080p': 8, '720p': 7, '480p': 6 };

function rendition(r: ReturnType<typeof ladderFor>[number], container: 'M3U8' | 'MP4'): Output {
  return {
    NameModifier: `_${r.name}`,
    ContainerSettings:
      container === 'MP4'
        ? { Container: 'MP4', Mp4Settings: { MoovPlacement: 'PROGRESSIVE_DOWNLOAD' } }
        : { Container: 'M3U8' },
    VideoDescription: {
      Height: r.height,
      ScalingBehavior: 'DEFAULT',
      CodecSettings: {
        Codec: 'H_264',
        H264Settings: {
          RateControlMode: 'QVBR',
          QvbrSettings: { QvbrQualityLevel: QVBR_LEVEL[r.name] },
          MaxBitrate: r.videoKbps * 1000,
          GopSize: 2,
          GopSizeUnits: 'SECONDS',
          SceneChangeDetect: 'TRANSITION_DETECTION',
        },
      },
    },
    AudioDescriptions: [
      {
        AudioSourceName: 'Audio Selector 1',
        CodecSettings: {
          Codec: 'AAC',
          AacSettings: {
            Bitrate: r.audioKbps * 1000,
            CodingMode: 'CODING_MODE_2_0',
            SampleRate: 48_000,
          },
        },
      },
    ],
  };
}

/** The CreateJob request for a job whose source was probed (its height bounds the ladder). */
export function createJobRequest(
  config: MediaServiceConfig,
  job: Job,
  probe: Pick<Probe, 'height' | 'durationMs'>,
): CreateJobCommandInput {
  const bucket = config.MEDIACONVERT_BUCKET ?? config.S3_BUCKET;
  const dest = (path: string) => `s3://${bucket}/${job.outputPrefix}${path}`;
  const rungs = ladderFor(probe.height);
  const seconds = Math.max(1, Math.ceil(probe.durationMs / 1000));
  return {
    // Idempotent: a repeated submission of the same job (a retried request) does not start a second job.
    ClientRequestToken: job.jobId,
    Role: config.MEDIACONVERT_ROLE_ARN,
    Queue: config.MEDIACONVERT_QUEUE_ARN,
    UserMetadata: {
      jobId: job.jobId,
      mediaId: job.mediaId,
      outputPrefix: job.outputPrefix,
      callbackUrl: job.callbackUrl,
      rungs: rungs.map((r) => r.name).join(','),
    },
    StatusUpdateInterval: 'SECONDS_10',
    Settings: {
      Inputs: [
        {
          FileInput: `s3://${bucket}/${job.sourceKey}`,
          AudioSelectors: { 'Audio Selector 1': { DefaultSelection: 'DEFAULT' } },
          VideoSelector: { ColorSpace: 'FOLLOW' },
          TimecodeSource: 'ZEROBASED',
        },
      ],
      OutputGroups: [
        {
          Name: 'HLS',
          OutputGroupSettings: {
            Type: 'HLS_GROUP_SETTINGS',
            HlsGroupSettings: {
              Destination: dest('hls/master'),
              SegmentLength: 4,
              MinSegmentLength: 0,
              DirectoryStructure: 'SINGLE_DIRECTORY',
              ManifestDurationFormat: 'INTEGER',
              SegmentControl: 'SEGMENTED_FILES',
              OutputSelection: 'MANIFESTS_AND_SEGMENTS',
            },
          },
          Outputs: rungs.map((r) => rendition(r, 'M3U8')),
        },
        {
          Name: 'MP4',
          OutputGroupSettings: {
            Type: 'FILE_GROUP_SETTINGS',
            FileGroupSettings: { Destination: dest('mp4/video') },
          },
          Outputs: rungs.map((r) => rendition(r, 'MP4')),
        },
        {
          Name: 'Frames',
          OutputGroupSettings: {
            Type: 'FILE_GROUP_SETTINGS',
            FileGroupSettings: { Destination: dest('thumbnails/frame') },
          },
          Outputs: [
            {
              ContainerSettings: { Container: 'RAW' },
              Extension: 'jpg',
              VideoDescription: {
                Width: 640,
                ScalingBehavior: 'DEFAULT',
                // Five captures spread over the video: one every duration/5 seconds.
                CodecSettings: {
                  Codec: 'FRAME_CAPTURE',
                  FrameCaptureSettings: {
                    FramerateNumerator: FRAME_CAPTURES,
                    FramerateDenominator: seconds,
                    MaxCaptures: FRAME_CAPTURES,
                    Quality: 80,
                  },
                },
              },
            },
          ],
        },
      ],
    },
  };
}

export function mediaConvertClient(config: MediaServiceConfig): MediaConvertClient {
  if (!config.MEDIACONVERT_ENDPOINT || !config.MEDIACONVERT_ROLE_ARN)
    throw new Error(
      'TRANSCODER=mediaconvert needs MEDIACONVERT_ENDPOINT and MEDIACONVERT_ROLE_ARN',
    );
  // Credentials: the default AWS chain (environment, instance or task role).
  return new MediaConvertClient({
    endpoint: config.MEDIACONVERT_ENDPOINT,
    region: config.MEDIACONVERT_REGION,
  });
}

/** Submits the job; the result arrives later as EventBridge events. */
export async function submitMediaConvertJob(
  client: MediaConvertClient,
  config: MediaServiceConfig,
  job: Job,
  probe: Pick<Probe, 'height' | 'durationMs'>,
): Promise<string> {
  const out = await client.send(new CreateJobCommand(createJobRequest(config, job, probe)));
  if (!out.Job?.Id) throw new Error('MediaConvert CreateJob answered without a job id');
  return out.Job.Id;
}

const s3Key = (uri: string) => uri.replace(/^s3:\/\/[^/]+\//, '');

export const mediaConvertEventSchema = z.object({
  'detail-type': z.literal('MediaConvert Job State Change'),
  source: z.literal('aws.mediaconvert'),
  detail: z.object({
    status: z.enum([
      'SUBMITTED',
      'PROGRESSING',
      'STATUS_UPDATE',
      'INPUT_INFORMATION',
      'COMPLETE',
      'ERROR',
      'CANCELED',
      'NEW_WARNING',
    ]),
    jobId: z.string(),
    userMetadata: z.object({
      jobId: z.string(),
      mediaId: z.string(),
      outputPrefix: z.string(),
      callbackUrl: z.string(),
      rungs: z.string(),
    }),
    jobProgress: z.object({ jobPercentComplete: z.number().optional() }).optional(),
    errorMessage: z.string().optional(),
    errorCode: z.number().optional(),
    outputGroupDetails: z
      .array(
        z.object({
          type: z.string(),
          outputDetails: z
            .array(
              z.object({
                outputFilePaths: z.array(z.string()).optional(),
                durationInMs: z.number().optional(),
                videoDetails: z
                  .object({ widthInPx: z.number(), heightInPx: z.number() })
                  .optional(),
              }),
            )
            .optional(),
          playlistFilePaths: z.array(z.string()).optional(),
        }),
      )
      .optional(),
  }),
});
export type MediaConvertEvent = z.infer<typeof mediaConvertEventSchema>;

/** Our callback for a MediaConvert state event, or null for states we do not report. */
export function callbackForEvent(
  event: MediaConvertEvent,
): { url: string; callback: Callback } | null {
  const d = event.detail;
  const meta = d.userMetadata;
  const base = { jobId: meta.jobId, mediaId: meta.mediaId };
  if (d.status === 'STATUS_UPDATE' || d.status === 'PROGRESSING') {
    return {
      url: meta.callbackUrl,
      callback: {
        ...base,
        state: 'progressing',
        progress: Math.min(99, Math.max(0, Math.round(d.jobProgress?.jobPercentComplete ?? 0))),
      },
    };
  }
  if (d.status === 'ERROR' || d.status === 'CANCELED') {
    return {
      url: meta.callbackUrl,
      callback: {
        ...base,
        state: 'error',
        errorCode: `MEDIACONVERT_${d.errorCode ?? d.status}`,
        errorMessage: (d.errorMessage ?? `MediaConvert job ${d.status.toLowerCase()}`).slice(
          0,
          500,
        ),
      },
    };
  }
  if (d.status !== 'COMPLETE') return null;
  const groups = d.outputGroupDetails ?? [];
  const hls = groups.find((g) => g.type === 'HLS_GROUP');
  const files = groups.filter((g) => g.type === 'FILE_GROUP');
  const details = groups.flatMap((g) => g.outputDetails ?? []);
  const video = details.find((o) => o.videoDetails)?.videoDetails;
  const durationMs = details.find((o) => o.durationInMs !== undefined)?.durationInMs;
  const variants: Record<string, string> = {};
  if (hls?.playlistFilePaths?.[0]) variants.hls = s3Key(hls.playlistFilePaths[0]);
  const paths = files.flatMap((g) =>
    (g.outputDetails ?? []).flatMap((o) => o.outputFilePaths ?? []),
  );
  for (const p of paths) {
    const rung = /_(\d{3,4}p)\.mp4$/.exec(p);
    if (rung) variants[`mp4_${rung[1]}`] = s3Key(p);
  }
  // Frame captures are numbered with 7 digits; the event names the last one written.
  const lastFrame = paths.map((p) => /^(.*\.)(\d{7})\.jpg$/.exec(p)).find(Boolean);
  const thumbnails = lastFrame
    ? Array.from({ length: Number(lastFrame[2]) + 1 }, (_, i) =>
        s3Key(`${lastFrame[1]}${String(i).padStart(7, '0')}.jpg`),
      )
    : [];
  return {
    url: meta.callbackUrl,
    callback: {
      ...base,
      state: 'complete',
      result: {
        variants,
        thumbnails,
        width: video?.widthInPx,
        height: video?.heightInPx,
        durationMs,
      },
    },
  };
}
