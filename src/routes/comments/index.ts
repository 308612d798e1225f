// /comments: a posting's comments, through the gate (one file per endpoint).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { create } from './create.ts';
import { remove } from './delete.ts';
import { like } from './like.ts';
import { list } from './list.ts';
import { unlike } from './unlike.ts';
import { update } from './update.ts';

export const commentRoutes = new OpenAPIHono<AppEnv>();
commentRoutes.route('/', create);
commentRoutes.route('/', list);
commentRoutes.route('/', update);
commentRoutes.route('/', remove);
commentRoutes.route('/', like);
commentRoutes.route('/', unlike);
