// /follow: follow and unfollow, and the follow lists (one file per endpoint).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { create } from './create.ts';
import { remove } from './delete.ts';
import { listMine } from './list-mine.ts';
import { listPublic } from './list-public.ts';

export const followRoutes = new OpenAPIHono<AppEnv>();
followRoutes.route('/', create);
followRoutes.route('/', remove);
followRoutes.route('/', listMine);
followRoutes.route('/', listPublic);
