// /user: profiles by handle, bio, nickname availability, creator categories, becoming a creator,
// profile images, personal information, account deletion and the data export (one file per
// endpoint).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { becomeCreatorRoutes } from './become-creator.ts';
import { checkNickname } from './check-nickname.ts';
import { coverImage } from './cover-image.ts';
import { listCreatorCategories } from './creator-categories.ts';
import { creatorStatus } from './creator-status.ts';
import { deleteAccount } from './delete-account.ts';
import { exportData } from './export.ts';
import { posts } from './posts.ts';
import { profileImage } from './profile-image.ts';
import { profile } from './profile.ts';
import { updateMe } from './update-me.ts';
import { updateProfile } from './update-profile.ts';
import { verifyPhone } from './verify-phone.ts';

export const user = new OpenAPIHono<AppEnv>();
user.route('/', profile);
user.route('/', posts);
user.route('/', updateProfile);
user.route('/', checkNickname);
user.route('/', listCreatorCategories);
user.route('/', becomeCreatorRoutes);
user.route('/', creatorStatus);
user.route('/', profileImage);
user.route('/', coverImage);
user.route('/', deleteAccount);
user.route('/', exportData);
user.route('/', updateMe);
user.route('/', verifyPhone);
