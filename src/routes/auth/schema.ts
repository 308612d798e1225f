import { z } from '@hono/zod-openapi';

export const Email = z
  .email()
  .max(320)
  .transform((v) => v.toLowerCase())
  .openapi({ example: 'fan@example.com' });
export const Password = z.string().min(8, '비밀번호는 8자 이상이어야 합니다.').max(256);

export const SignUpBody = z
  .object({
    email: Email,
    password: Password,
    name: z.string().trim().min(1).max(100),
    nickname: z.string().trim(),
    // Any usual Korean mobile form; the route normalises it to E.164 (domain/identity
    // requireKrMobile).
    phoneNumber: z.string().max(32).openapi({ example: '010-1234-5678' }),
    isEarlybird: z.boolean().optional(),
  })
  .openapi('SignUpBody');

export const ConfirmBody = z
  .object({
    email: Email,
    confirmationCode: z
      .string()
      .trim()
      .regex(/^\d{4,10}$/, '인증 코드는 숫자입니다.'),
  })
  .openapi('ConfirmSignUpBody');

export const ConfirmQuery = z.object({
  email: Email,
  code: z
    .string()
    .trim()
    .regex(/^\d{4,10}$/),
});
export const EmailBody = z.object({ email: Email }).openapi('EmailBody');
export const EmailQuery = z.object({ email: Email });
export const SignInBody = z
  .object({ email: Email, password: z.string().min(1).max(256) })
  .openapi('SignInBody');
export const NicknameBody = z.object({ nickname: z.string().trim() }).openapi('NicknameBody');
export const HandleBody = z.object({ preferredUsername: z.string().trim() }).openapi('HandleBody');

export const UserEmail = z.object({ user: z.object({ email: z.string() }) });

export const Me = z
  .object({
    user: z.object({
      username: z.string(),
      attributes: z.object({
        email: z.string(),
        email_verified: z.boolean(),
        preferred_username: z.string(),
        name: z.string(),
        sub: z.string(),
        picture: z.string().nullable(),
        nickname: z.string(),
        phone_number: z.string().nullable(),
      }),
      points: z.number().int(),
      isCreator: z.boolean(),
      profile: z.object({ bio: z.string().nullable() }).nullable(),
    }),
  })
  .openapi('Me');

export const Empty = z.object({});
export const SignedUp = z.object({ user: z.object({ email: z.string(), userSub: z.string() }) });
export const SignedIn = UserEmail.extend({ accountDeletionCanceled: z.literal(true).optional() });
export const Session = z.object({ sub: z.string(), expiresAt: z.string() });
export const EmailExists = z.object({ exists: z.boolean() });
