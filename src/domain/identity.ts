// Identity rules: handle and nickname formats, reserved handles, and the local mirror of Cognito users.
import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../db/client.ts';
import { creatorCategories, creators, earlybirds, users, type User } from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';

/** 2–15 characters of Hangul syllables, letters, digits and underscores, not only underscores (as the original). */
export const HANDLE_PATTERN = /^[가-힣A-Za-z0-9_]{2,15}$/;
/** 2–10 characters of Hangul, letters and digits (as the original). */
export const NICKNAME_PATTERN = /^[가-힣A-Za-z0-9]{2,10}$/;

export const RESERVED_HANDLES = new Set(
  [
    'admin',
    'administrator',
    'root',
    'system',
    'support',
    'help',
    'crefans',
    'official',
    'staff',
    'moderator',
    'api',
    'auth',
    'user',
    'users',
    'me',
    'settings',
    'profile',
    'feed',
    'explore',
    'search',
    'post',
    'posts',
    'postings',
    'membership',
    'subscription',
    'payment',
    'wallet',
    'media',
    'creator',
    'creators',
    'write',
    'login',
    'logout',
    'signin',
    'signout',
    'signup',
    'null',
    'undefined',
    'treasury',
    '관리자',
    '운영자',
    '크리팬스',
  ].map((h) => h.toLowerCase()),
);

export function handleProblem(handle: string): string | null {
  if (!HANDLE_PATTERN.test(handle))
    return '핸들은 2~15자의 한글, 영문, 숫자, 밑줄(_)만 사용할 수 있습니다.';
  if (/^_+$/.test(handle)) return '핸들은 밑줄(_)로만 이루어질 수 없습니다.';
  if (RESERVED_HANDLES.has(handle.toLowerCase())) return '사용할 수 없는 핸들입니다.';
  return null;
}

export function nicknameProblem(nickname: string): string | null {
  if (!NICKNAME_PATTERN.test(nickname))
    return '닉네임은 2~10자의 한글, 영문, 숫자만 사용할 수 있습니다.';
  return null;
}

/** 400 VALIDATION_FAILED (on the `nickname` field) unless the nickname is well-formed. */
export function requireValidNickname(nickname: string): void {
  const problem = nicknameProblem(nickname);
  if (problem)
    throw new ApiError('VALIDATION_FAILED', problem, {
      details: [{ path: 'nickname', message: problem }],
    });
}

/** A first handle for a new user: `u` + 10 base-36 characters (they can pick their own later). */
export function generateHandle(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return `u${n.toString(36).padStart(10, '0').slice(0, 10)}`;
}

export async function isNicknameTaken(
  db: Database,
  nickname: string,
  exceptUserId?: string,
): Promise<boolean> {
  const where = exceptUserId
    ? and(eq(users.nickname, nickname), ne(users.id, exceptUserId))
    : eq(users.nickname, nickname);
  const [row] = await db.select({ id: users.id }).from(users).where(where).limit(1);
  return Boolean(row);
}

/** Whether the user is an active creator (the creator-only checks all ask this). */
export async function isActiveCreator(db: Database, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: creators.id })
    .from(creators)
    .where(and(eq(creators.userId, userId), eq(creators.isActive, true)))
    .limit(1);
  return Boolean(row);
}

export async function isEmailRegistered(db: Database, email: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, email.toLowerCase()))
    .limit(1);
  return Boolean(row);
}

export interface NewMirror {
  id: string;
  email: string;
  handle: string;
  nickname: string;
  name: string;
  phoneNumber: string;
  isEarlybird: boolean;
}

/** Creates the pending mirror row (and the early-bird record) right after Cognito accepted the sign-up. */
export async function createPendingUser(db: Database, input: NewMirror): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(users)
      .values({
        id: input.id,
        email: input.email.toLowerCase(),
        handle: input.handle,
        nickname: input.nickname,
        name: input.name,
        phoneNumber: input.phoneNumber,
        status: 'pending',
      })
      // A retried sign-up of an unconfirmed account keeps its row.
      .onDuplicateKeyUpdate({
        set: { nickname: input.nickname, name: input.name, phoneNumber: input.phoneNumber },
      });
    if (input.isEarlybird) {
      await tx
        .insert(earlybirds)
        .values({ userId: input.id })
        .onDuplicateKeyUpdate({ set: { userId: sql`user_id` } });
    }
  });
}

/** Marks the mirror active after Cognito confirmed the e-mail; returns the user id. */
export async function activateUser(db: Database, email: string, now: Date): Promise<string | null> {
  const [row] = await db
    .select({ id: users.id, status: users.status })
    .from(users)
    .where(eq(users.email, email.toLowerCase()))
    .limit(1);
  if (!row) return null;
  if (row.status === 'pending') {
    await db
      .update(users)
      .set({ status: 'active', confirmedAt: now })
      .where(and(eq(users.id, row.id), eq(users.status, 'pending')));
  }
  return row.id;
}

export async function getUser(db: Database, id: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row ?? null;
}

/** Changes the handle; the unique index decides races. */
export async function changeHandle(db: Database, userId: string, handle: string): Promise<void> {
  const problem = handleProblem(handle);
  if (problem)
    throw new ApiError('VALIDATION_FAILED', problem, {
      details: [{ path: 'preferredUsername', message: problem }],
    });
  try {
    await db.update(users).set({ handle }).where(eq(users.id, userId));
  } catch (err) {
    if (isDuplicateKey(err)) throw new ApiError('HANDLE_TAKEN', '이미 사용 중인 핸들입니다.');
    throw err;
  }
}

export async function changeNickname(
  db: Database,
  userId: string,
  nickname: string,
): Promise<void> {
  requireValidNickname(nickname);
  if (await isNicknameTaken(db, nickname, userId))
    throw new ApiError('NICKNAME_TAKEN', '이미 사용 중인 닉네임입니다.');
  await db.update(users).set({ nickname }).where(eq(users.id, userId));
}

export function isDuplicateKey(err: unknown): boolean {
  let current: unknown = err;
  for (let i = 0; i < 4 && current; i++) {
    if (current instanceof Error && /\(errno 1062\)/.test(current.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

// Phone numbers. Cognito wants E.164 (`+821012345678`); people type `010-1234-5678`, and the web
// client sends `"+82" + "010…"` (`+8201012345678`, the trunk 0 kept). libphonenumber-js (its
// mobile-only metadata, about 34 KB gzipped in the Worker) parses every such form, strips the trunk
// 0 after +82, and knows which KR ranges are mobile. Only Korean mobile numbers are accepted: the
// number receives the SMS codes.
export const PHONE_PROBLEM =
  '휴대폰 번호 형식이 올바르지 않습니다. 010-1234-5678처럼 입력해 주세요.';

/** A Korean mobile number in any usual form, as E.164; null when it is not one. */
export function normalizeKrMobile(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 32) return null;
  const parsed = parsePhoneNumberFromString(trimmed, 'KR');
  if (!parsed || parsed.ext || parsed.country !== 'KR' || !parsed.isValid()) return null;
  return parsed.getType() === 'MOBILE' ? parsed.number : null;
}

/** The same for a request field: a clear 400 naming the field when it is not a Korean mobile. */
export function requireKrMobile(input: string, path = 'phoneNumber'): string {
  const phone = normalizeKrMobile(input);
  if (!phone) {
    const details = [{ path, message: PHONE_PROBLEM }];
    throw new ApiError('VALIDATION_FAILED', PHONE_PROBLEM, { details });
  }
  return phone;
}

/** The legal name (personal information edit): 1–100 characters after trimming. */
export async function changeName(db: Database, userId: string, name: string): Promise<string> {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) {
    const message = '이름은 1~100자로 입력해 주세요.';
    throw new ApiError('VALIDATION_FAILED', message, { details: [{ path: 'name', message }] });
  }
  await db.update(users).set({ name: trimmed }).where(eq(users.id, userId));
  return trimmed;
}

/**
 * The mirror's phone is the verified one: a new number is written here only after Cognito verified
 * it (VerifyUserAttribute). Until then Cognito holds the new, unverified number and this row the
 * old one.
 */
export async function setVerifiedPhone(db: Database, userId: string, phone: string): Promise<void> {
  await db.update(users).set({ phoneNumber: phone }).where(eq(users.id, userId));
}

/**
 * The user becomes a creator in an active category (`categoryId` null: the first active one by
 * sort order). 404 for an unknown or inactive category, 409 ALREADY_CREATOR for a creator.
 */
export async function becomeCreator(
  db: Database,
  { userId, categoryId }: { userId: string; categoryId: string | null },
) {
  const live = and(eq(creatorCategories.isActive, true), isNull(creatorCategories.deletedAt));
  const [category] = await db
    .select({ id: creatorCategories.id })
    .from(creatorCategories)
    .where(categoryId === null ? live : and(eq(creatorCategories.id, categoryId), live))
    .orderBy(asc(creatorCategories.sortOrder))
    .limit(1);
  if (!category) throw new ApiError('NOT_FOUND', '카테고리를 찾을 수 없습니다.');
  const creatorId = uuidv7();
  try {
    await db.insert(creators).values({ id: creatorId, userId, categoryId: category.id });
  } catch (err) {
    if (isDuplicateKey(err)) throw new ApiError('ALREADY_CREATOR', '이미 크리에이터입니다.');
    throw err;
  }
  return { isCreator: true as const, creatorId, categoryId: category.id };
}
