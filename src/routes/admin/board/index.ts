// /admin/board: notices CRUD for admins, with soft delete and restore (one file per endpoint).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context.ts';
import { create } from './create.ts';
import { remove } from './delete.ts';
import { get } from './get.ts';
import { list } from './list.ts';
import { restore } from './restore.ts';
import { update } from './update.ts';

export const adminBoard = new OpenAPIHono<AppEnv>();
adminBoard.route('/', list);
adminBoard.route('/', create);
adminBoard.route('/', get);
adminBoard.route('/', update);
adminBoard.route('/', remove);
adminBoard.route('/', restore);
