// /payment: KNG top-ups through Toss Payments (products, prepare, confirm, failure, history, info,
// cancel, and Toss's webhook). Status codes as the web client expects them: prepare, confirm and
// cancel answer 200. One file per endpoint.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { cancel } from './cancel.ts';
import { confirm } from './confirm.ts';
import { failure } from './failure.ts';
import { history } from './history.ts';
import { info } from './info.ts';
import { prepare } from './prepare.ts';
import { products } from './products.ts';
import { webhook } from './webhook.ts';

export const paymentRoutes = new OpenAPIHono<AppEnv>();
paymentRoutes.route('/', products);
paymentRoutes.route('/', prepare);
paymentRoutes.route('/', confirm);
paymentRoutes.route('/', failure);
paymentRoutes.route('/', history);
paymentRoutes.route('/', info);
paymentRoutes.route('/', cancel);
paymentRoutes.route('/', webhook);
