// /board: the public notices board (one file per endpoint).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { get } from './get.ts';
import { list } from './list.ts';
import { views } from './views.ts';

export const board = new OpenAPIHono<AppEnv>();
board.route('/', list);
board.route('/', get);
board.route('/', views);
