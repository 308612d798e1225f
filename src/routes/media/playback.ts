// GET /media/{mediaId}/playback — where to play a video the viewer may see: the HLS master (played
// with the viewer's own session, see hls.ts), MP4 fallbacks and frame captures.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authOptional } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { mediaForViewer } from '../../domain/media-access.ts';
import { mediaView } from '../../domain/media-views.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { apiBase, segmentTokenExpiry } from './hls.ts';
import { MediaIdParam } from './schema.ts';

export const playbackRoute = createRoute({
  method: 'get',
  path: '/{mediaId}/playback',
  tags: ['media'],
  summary:
    "Where to play a video the viewer may see: the HLS master (played with the viewer's session), MP4 fallbacks, frame captures",
  middleware: [authOptional] as const,
  request: { params: MediaIdParam },
  responses: {
    200: jsonContent(
      envelope(
        z.object({
          hlsUrl: z.string(),
          expiresAt: z.string().openapi({
            description:
              'When the segment URLs of a playlist fetched now expire; fetching the playlist again renews them',
          }),
          mp4: z.record(z.string(), z.string()),
          thumbnails: z.array(z.string()),
          duration: z.number().nullable(),
        }),
      ),
      'Playback',
    ),
    ...errorResponses(401, 403, 404, 409),
  },
});

export const playbackApp = new OpenAPIHono<AppEnv>().openapi(playbackRoute, async (c) => {
  const { db, clock } = c.get('services');
  const media = await mediaForViewer(db, {
    viewerId: c.get('viewer')?.id ?? null,
    mediaId: c.req.valid('param').mediaId,
    now: clock.now(),
  });
  if (media.type !== 'video' || media.status !== 'ready' || !media.variants?.hls)
    throw new ApiError('MEDIA_NOT_READY', '미디어가 아직 처리 중입니다.');
  const view = mediaView(media, c.get('env').API_BASE_URL);
  const master = media.variants.hls.slice(media.variants.hls.lastIndexOf('/') + 1);
  c.header('Cache-Control', 'private, no-store');
  return ok(c, {
    hlsUrl: `${apiBase(c)}/media/hls/${media.id}/${master}`,
    expiresAt: segmentTokenExpiry(c, media).toISOString(),
    mp4: Object.fromEntries(
      Object.keys(media.variants)
        .filter((k) => k.startsWith('mp4_'))
        .map((k) => [k.slice(4), `${view.mediaUrl}?quality=${k.slice(4)}`]),
    ),
    thumbnails: view.thumbnailUrls,
    duration: view.duration,
  });
});
