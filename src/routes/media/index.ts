// /media: uploads (presigned PUT or multipart straight to storage), the owner's media and their
// processing state, the signed processing webhook, and delivery through the gate: `GET /media/image/:id`
// and `/media/video/:id` (the URLs the web client puts in <img>/<video>, authorised by its cookies)
// redirect to a short-lived presigned GET; video streams as HLS from `/media/hls/{token}/{mediaId}/…`.
// Never a public URL; every gated answer is `Cache-Control: private, no-store`. One file per endpoint;
// the order below is the matching order (fixed paths before `/{mediaId}`).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { abortUploadApp } from './abort-upload.ts';
import { completeUploadApp } from './complete-upload.ts';
import { deleteApp } from './delete.ts';
import { deliverApp } from './deliver.ts';
import { getApp } from './get.ts';
import { registerHls } from './hls.ts';
import { myMediaApp } from './my-media.ts';
import { playbackApp } from './playback.ts';
import { prepareUploadApp } from './prepare-upload.ts';
import { processingWebhookApp } from './processing-webhook.ts';
import { retryApp } from './retry.ts';
import { statusApp } from './status.ts';
import { registerFormUpload } from './upload.ts';

export const mediaRoutes = new OpenAPIHono<AppEnv>();
mediaRoutes.route('/', prepareUploadApp);
registerFormUpload(mediaRoutes);
mediaRoutes.route('/', completeUploadApp);
mediaRoutes.route('/', myMediaApp);
mediaRoutes.route('/', processingWebhookApp);
mediaRoutes.route('/', deliverApp);
mediaRoutes.route('/', playbackApp);
registerHls(mediaRoutes);
mediaRoutes.route('/', getApp);
mediaRoutes.route('/', statusApp);
mediaRoutes.route('/', retryApp);
mediaRoutes.route('/', abortUploadApp);
mediaRoutes.route('/', deleteApp);
