// PATCH /user/me: personal information (the roadmap's my-page). The web client has no such call;
// this is the new one. The name is changed at once (database, copied to Cognito); a new phone
// number goes to Cognito, which sends a code (UpdateUserAttributes, then
// GetUserAttributeVerificationCode when no code went out); the number counts only after POST
// /user/me/phone/verify.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { cognitoFor } from '../../auth/client.ts';
import { fromCognito } from '../../auth/cognito-errors.ts';
import { authRequired, requireViewer } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { changeName, getUser, requireKrMobile } from '../../domain/identity.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { limitAuth } from '../../lib/rate-limit.ts';
import { PersonalInfo } from './schema.ts';

export const updateMe = new OpenAPIHono<AppEnv>();

const Body = z
  .object({
    name: z.string().max(200).optional(),
    phoneNumber: z.string().max(32).optional().openapi({ example: '010-1234-5678' }),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.phoneNumber !== undefined, '변경할 항목이 없습니다.')
  .openapi('UpdateMeBody');

updateMe.openapi(
  createRoute({
    method: 'patch',
    path: '/me',
    tags: ['user'],
    summary: 'Edit my name and phone number (a new phone number is verified with a code)',
    middleware: [authRequired] as const,
    request: jsonBody(Body),
    responses: {
      200: jsonContent(envelope(PersonalInfo), 'Changed'),
      ...errorResponses(400, 401, 404, 429, 503),
    },
  }),
  async (c) => {
    const viewer = requireViewer(c);
    const body = c.req.valid('json');
    const { db, logger } = c.get('services');
    const cognito = cognitoFor(c);
    let pending: string | null = null;
    if (body.phoneNumber !== undefined) {
      const phone = requireKrMobile(body.phoneNumber);
      await limitAuth(c, 'phone-code', viewer.id);
      try {
        const { codeSentTo } = await cognito.updateAttributes(viewer.accessToken, {
          phone_number: phone,
        });
        if (codeSentTo.length === 0)
          await cognito.sendAttributeCode(viewer.accessToken, 'phone_number');
      } catch (err) {
        throw fromCognito(err, 'update');
      }
      pending = phone;
    }
    if (body.name !== undefined) {
      const name = await changeName(db, viewer.id, body.name);
      // The database is the source of truth; Cognito's copy (for the id token) is best effort, as
      // for nicknames.
      await cognito
        .updateAttributes(viewer.accessToken, { name })
        .catch((err: unknown) => logger.warn('cognito name sync failed', { error: err }));
    }
    const user = await getUser(db, viewer.id);
    if (!user) throw new ApiError('NOT_FOUND', '사용자를 찾을 수 없습니다.');
    return ok(
      c,
      {
        name: user.name,
        phoneNumber: user.phoneNumber,
        pendingPhoneNumber: pending,
        phoneVerificationRequired: pending !== null,
      },
      {
        message: pending
          ? '인증 코드를 보냈습니다. 코드를 입력하면 휴대폰 번호가 변경됩니다.'
          : '개인정보가 변경되었습니다.',
      },
    );
  },
);
