// Membership tiers: creator-only CRUD in the client's shapes, database-enforced levels, and every bad input.
import { beforeAll, describe, expect, it } from 'vitest';
import { CREATOR_CATEGORIES } from '../../src/db/reference-data.ts';
import { api, createUser, postJson, putJson, type TestUser } from './auth-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

let creator: TestUser;
let other: TestUser;
let fan: TestUser;

type Tier = {
  id: string;
  creator_id: string;
  name: string;
  level: number;
  price: number;
  priceKng: number;
  benefits: string;
  billing_unit: string;
  is_active: boolean;
};

const tierBody = (patch: Record<string, unknown> = {}) => ({
  name: '기본',
  description: '설명',
  benefits: '혜택1,혜택2',
  level: 1,
  price: 3000,
  billing_unit: 'MONTH',
  billing_period: 1,
  ...patch,
});

beforeAll(async () => {
  creator = await createUser('tiers-creator');
  other = await createUser('tiers-other');
  fan = await createUser('tiers-fan');
  for (const u of [creator, other]) {
    const res = await postJson(
      '/user/become-creator',
      { category_id: CREATOR_CATEGORIES[0].id },
      { cookies: u.cookies },
    );
    expect(res.status).toBe(201);
  }
});

describe('creating and listing tiers', () => {
  it('creates tiers in the client shape and lists them as data.memberships, by level', async () => {
    const second = await readJson<Envelope<Tier>>(
      await postJson(
        '/membership',
        tierBody({ level: 2, name: '프리미엄', price: 9900, benefits: ['전부', '더'] }),
        { cookies: creator.cookies },
      ),
    );
    expect(second.status, second.text).toBe(201);
    expect(second.body.data).toMatchObject({
      creator_id: creator.sub,
      name: '프리미엄',
      level: 2,
      price: 9900,
      priceKng: 90,
      benefits: '전부,더',
      billing_unit: 'MONTH',
      is_active: true,
    });
    const first = await postJson('/membership', tierBody(), { cookies: creator.cookies });
    expect(first.status).toBe(201);
    const mine = await readJson<Envelope<{ memberships: Tier[] }>>(
      await api('/membership', { cookies: creator.cookies }),
    );
    expect(mine.body.data.memberships.map((t) => t.level)).toEqual([1, 2]);
    const pub = await readJson<Envelope<{ memberships: Tier[] }>>(
      await api(`/membership/creator/${creator.sub}`),
    );
    expect(pub.body.data.memberships).toHaveLength(2);
  });

  it('refuses a second live tier at the same level with 409 LEVEL_TAKEN (the database decides, even in parallel)', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        postJson('/membership', tierBody({ level: 5 }), { cookies: creator.cookies }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it.each([
    ['level 0', { level: 0 }, 'level'],
    ['level 11', { level: 11 }, 'level'],
    ['a negative price', { price: -1 }, 'price'],
    ['a fractional price', { price: 1.5 }, 'price'],
    ['an unknown billing unit', { billing_unit: 'HOUR' }, 'billing_unit'],
    ['an empty name', { name: '' }, 'name'],
    ['a zero billing period', { billing_period: 0 }, 'billing_period'],
  ])('refuses %s with 400', async (_c, patch, field) => {
    const body = await expectError(
      await postJson('/membership', tierBody(patch), { cookies: creator.cookies }),
      400,
      'VALIDATION_FAILED',
    );
    expect(body.data.details?.map((d) => d.path)).toContain(field);
  });

  it('is for creators only: 401 anonymous, 403 for a fan', async () => {
    await expectError(await postJson('/membership', tierBody()), 401, 'UNAUTHENTICATED');
    await expectError(
      await postJson('/membership', tierBody(), { cookies: fan.cookies }),
      403,
      'FORBIDDEN',
    );
    await expectError(await api('/membership', { cookies: fan.cookies }), 403, 'FORBIDDEN');
  });
});

describe('editing tiers', () => {
  it("edits, toggles and deletes one's own tier; another creator gets 404", async () => {
    const created = await readJson<Envelope<Tier>>(
      await postJson('/membership', tierBody({ level: 7 }), { cookies: creator.cookies }),
    );
    const id = created.body.data.id;
    const edited = await readJson<Envelope<Tier>>(
      await putJson(
        `/membership/${id}`,
        { price: 4400, name: '수정됨' },
        { cookies: creator.cookies },
      ),
    );
    expect(edited.body.data).toMatchObject({ price: 4400, priceKng: 40, name: '수정됨', level: 7 });
    await expectError(
      await putJson(`/membership/${id}`, { price: 1 }, { cookies: other.cookies }),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await api(`/membership/${id}`, { method: 'DELETE', cookies: other.cookies }),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await api(`/membership/${id}/toggle-active`, { method: 'PATCH', cookies: other.cookies }),
      404,
      'NOT_FOUND',
    );
    const toggled = await readJson<Envelope<Tier>>(
      await api(`/membership/${id}/toggle-active`, { method: 'PATCH', cookies: creator.cookies }),
    );
    expect(toggled.body.data.is_active).toBe(false);
    const pub = await readJson<Envelope<{ memberships: Tier[] }>>(
      await api(`/membership/creator/${creator.sub}`),
    );
    expect(pub.body.data.memberships.map((t) => t.id)).not.toContain(id);
    await expectError(
      await putJson(`/membership/${id}`, { level: 1 }, { cookies: creator.cookies }),
      409,
      'LEVEL_TAKEN',
    );
    await expectError(
      await putJson(`/membership/${id}`, {}, { cookies: creator.cookies }),
      400,
      'VALIDATION_FAILED',
    );
    const deleted = await api(`/membership/${id}`, { method: 'DELETE', cookies: creator.cookies });
    expect(deleted.status, await deleted.clone().text()).toBe(200);
    await expectError(
      await api(`/membership/${id}`, { cookies: creator.cookies }),
      404,
      'NOT_FOUND',
    );
    // The level is free again once the tier is deleted.
    expect(
      (await postJson('/membership', tierBody({ level: 7 }), { cookies: creator.cookies })).status,
    ).toBe(201);
  });

  it('refuses a malformed id with 400', async () => {
    await expectError(
      await api('/membership/not-a-uuid', { cookies: creator.cookies }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('refuses to delete a tier with a live subscriber (409)', async () => {
    const created = await readJson<Envelope<Tier>>(
      await postJson('/membership', tierBody({ level: 9, price: 0 }), { cookies: creator.cookies }),
    );
    const id = created.body.data.id;
    const sub = await api(`/subscription/membership/${id}`, {
      method: 'POST',
      cookies: fan.cookies,
    });
    expect(sub.status, await sub.clone().text()).toBe(201);
    await expectError(
      await api(`/membership/${id}`, { method: 'DELETE', cookies: creator.cookies }),
      409,
      'MEMBERSHIP_HAS_SUBSCRIBERS',
    );
  });
});
