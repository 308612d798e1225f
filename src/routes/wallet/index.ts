// /wallet: the viewer's balances and their transfer history (one file per endpoint).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { list } from './list.ts';
import { transfers } from './transfers.ts';

export const wallet = new OpenAPIHono<AppEnv>();
wallet.route('/', list);
wallet.route('/', transfers);
