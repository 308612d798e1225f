// /health: liveness and database reachability (one file per endpoint).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { get } from './get.ts';

export const health = new OpenAPIHono<AppEnv>();
health.route('/', get);
