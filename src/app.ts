// The one app factory, used by the Worker entry and by the tests.
import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { uuidv7 } from 'uuidv7';
import type { AppEnv } from './context.ts';
import { handleError, handleNotFound } from './lib/error-handler.ts';
import { ApiError } from './lib/errors.ts';
import { bodyGuardFor } from './middleware/body.ts';
import { corsMiddleware } from './middleware/cors.ts';
import { defaultCacheControl, securityHeaders } from './middleware/headers.ts';
import { init } from './middleware/init.ts';
import { auth } from './routes/auth/index.ts';
import { commentRoutes } from './routes/comments/index.ts';
import { docsPage } from './routes/docs/index.ts';
import { exploreRoutes } from './routes/explore/index.ts';
import { paymentRoutes } from './routes/payment/index.ts';
import { feedRoutes } from './routes/feed/index.ts';
import { followRoutes } from './routes/follow/index.ts';
import { health } from './routes/health/index.ts';
import { mediaRoutes } from './routes/media/index.ts';
import { membership } from './routes/membership/index.ts';
import { postingsRoutes } from './routes/postings/index.ts';
import { reportRoutes } from './routes/reports/index.ts';
import { root } from './routes/root/index.ts';
import { subscription } from './routes/subscription/index.ts';
import { user } from './routes/user/index.ts';
import { wallet } from './routes/wallet/index.ts';
import { board } from './routes/board/index.ts';
import { adminBoard } from './routes/admin/board/index.ts';

export function createApp() {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError('VALIDATION_FAILED', '입력값이 올바르지 않습니다.', {
          details: result.error.issues.map((issue) => ({
            path: issue.path.join('.'),
            message: issue.message,
          })),
        });
      }
    },
  });

  app.use(
    '*',
    requestId({ headerName: 'X-Request-Id', limitLength: 128, generator: () => uuidv7() }),
  );
  app.use('*', securityHeaders);
  app.use('*', defaultCacheControl);
  app.use('*', init);
  app.use('*', corsMiddleware);
  app.use('*', bodyGuardFor(app));

  app.route('/', root);
  app.route('/health', health);
  app.route('/auth', auth);
  app.route('/user', user);
  app.route('/wallet', wallet);
  app.route('/membership', membership);
  app.route('/subscription', subscription);
  app.route('/postings', postingsRoutes);
  app.route('/follow', followRoutes);
  app.route('/comments', commentRoutes);
  app.route('/reports', reportRoutes);
  app.route('/media', mediaRoutes);
  app.route('/feed', feedRoutes);
  app.route('/explore', exploreRoutes);
  app.route('/payment', paymentRoutes);
  app.route('/board', board);
  app.route('/admin/board', adminBoard);

  app.doc31('/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: {
      title: 'crefans API',
      version: c.get('env').BUILD_VERSION,
      description:
        'Creator-membership platform API. Every response uses the `{ success, message?, data }` envelope.',
    },
    servers: [{ url: c.get('env').API_BASE_URL }],
  }));
  // The reference UI, its bundle served from our own origin (a static asset): no CDN, strict CSP.
  app.get('/docs', docsPage);

  app.notFound(handleNotFound);
  app.onError(handleError);
  return app;
}

export type App = ReturnType<typeof createApp>;
