// /explore: categories and creators, edge-cached (one file per endpoint).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { edgeCache } from '../../middleware/edge-cache.ts';
import { byCategory } from './by-category.ts';
import { categories } from './categories.ts';
import { newCreators } from './new-creators.ts';

export const exploreRoutes = new OpenAPIHono<AppEnv>();
exploreRoutes.use('*', edgeCache);
exploreRoutes.route('/', categories);
exploreRoutes.route('/', newCreators);
exploreRoutes.route('/', byCategory);
