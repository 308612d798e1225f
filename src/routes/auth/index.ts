// /auth: sign-up, confirmation, sign-in with cookies, refresh, sign-out, me, and handle/nickname
// changes (one file per endpoint). Paths, bodies, cookies and response fields follow the web client
// (shared/reference/original-crefans.md).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { checkEmail } from './check-email.ts';
import { confirmEmailVerification } from './confirm-email-verification.ts';
import { confirmSignUp } from './confirm-signup.ts';
import { handle } from './handle.ts';
import { me } from './me.ts';
import { nickname } from './nickname.ts';
import { refresh } from './refresh.ts';
import { resendConfirmationCode } from './resend-confirmation-code.ts';
import { session } from './session.ts';
import { signIn } from './sign-in.ts';
import { signOut } from './sign-out.ts';
import { signUp } from './signup.ts';

export const auth = new OpenAPIHono<AppEnv>();
auth.route('/', signUp);
auth.route('/', confirmSignUp);
auth.route('/', confirmEmailVerification);
auth.route('/', resendConfirmationCode);
auth.route('/', signIn);
auth.route('/', refresh);
auth.route('/', signOut);
auth.route('/', me);
auth.route('/', session);
auth.route('/', checkEmail);
auth.route('/', nickname);
auth.route('/', handle);
