// /feed: the personal feed (and its PRD alias /feed/personal) and the public feed (one file per
// endpoint).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { personal } from './personal.ts';
import { publicList } from './public.ts';

export const feedRoutes = new OpenAPIHono<AppEnv>();
feedRoutes.route('/', personal);
feedRoutes.route('/', publicList);
