// POST /user/me/phone/verify: the code Cognito sent for a new phone number (PATCH /user/me).
// Cognito checks it (VerifyUserAttribute); the verified number is then read back from Cognito and
// becomes the user's number.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { cognitoFor } from '../../auth/client.ts';
import { fromCognito } from '../../auth/cognito-errors.ts';
import { authRequired, requireViewer } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { getUser, normalizeKrMobile, setVerifiedPhone } from '../../domain/identity.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { limitAuth } from '../../lib/rate-limit.ts';
import { PersonalInfo } from './schema.ts';

export const verifyPhone = new OpenAPIHono<AppEnv>();

const Body = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^\d{4,10}$/, '인증 코드는 숫자입니다.'),
  })
  .openapi('VerifyPhoneBody');

verifyPhone.openapi(
  createRoute({
    method: 'post',
    path: '/me/phone/verify',
    tags: ['user'],
    summary: 'Confirm a new phone number with the code Cognito sent',
    middleware: [authRequired] as const,
    request: jsonBody(Body),
    responses: {
      200: jsonContent(envelope(PersonalInfo), 'Verified'),
      ...errorResponses(400, 401, 404, 429, 503),
    },
  }),
  async (c) => {
    const viewer = requireViewer(c);
    await limitAuth(c, 'phone-verify', viewer.id);
    const cognito = cognitoFor(c);
    let attributes: Record<string, string>;
    try {
      await cognito.verifyAttribute(viewer.accessToken, 'phone_number', c.req.valid('json').code);
      attributes = await cognito.getAttributes(viewer.accessToken);
    } catch (err) {
      throw fromCognito(err, 'update');
    }
    const phone = normalizeKrMobile(attributes.phone_number ?? '');
    if (!phone || attributes.phone_number_verified !== 'true')
      throw new ApiError('INVALID_CODE', '인증 코드가 올바르지 않습니다.');
    const { db } = c.get('services');
    await setVerifiedPhone(db, viewer.id, phone);
    const user = await getUser(db, viewer.id);
    if (!user) throw new ApiError('NOT_FOUND', '사용자를 찾을 수 없습니다.');
    return ok(
      c,
      {
        name: user.name,
        phoneNumber: user.phoneNumber,
        pendingPhoneNumber: null,
        phoneVerificationRequired: false,
      },
      { message: '휴대폰 번호가 인증되었습니다.' },
    );
  },
);
