// /reports: report a posting, a comment or a user (one file per endpoint).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { create } from './create.ts';

export const reportRoutes = new OpenAPIHono<AppEnv>();
reportRoutes.route('/', create);
