// /membership: a creator's tiers (creator-only) and the public list per creator, in the client's
// shapes (lists as `data.memberships`). One file per endpoint; `/creator/…` before `/{id}`.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { create } from './create.ts';
import { remove } from './delete.ts';
import { get } from './get.ts';
import { listByCreator } from './list-by-creator.ts';
import { list } from './list.ts';
import { toggleActive } from './toggle-active.ts';
import { update } from './update.ts';

export const membership = new OpenAPIHono<AppEnv>();
membership.route('/', create);
membership.route('/', list);
membership.route('/', listByCreator);
membership.route('/', get);
membership.route('/', update);
membership.route('/', toggleActive);
membership.route('/', remove);
