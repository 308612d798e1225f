// Reports go through the gate: the reporter must be able to see what they report. A comment is seen
// only with full access to its posting (as the comment list is), so a comment behind a paywall, on
// a hidden posting, or deleted, is 404 to whoever cannot read it.
import { describe, expect, it } from 'vitest';
import { api, postJson, tokenFor } from './auth-helpers.ts';
import { db, fund, makeCreator } from './economy-helpers.ts';
import { checkLedgerInvariants } from '../../src/domain/ledger.ts';
import { expectError } from './helpers.ts';

const as = async (userId: string) => ({ cookies: { access_token: await tokenFor(userId) } });

async function posting(author: string, body: Record<string, unknown>): Promise<string> {
  const res = await postJson(
    '/postings',
    { title: 't', content: 'c', status: 'PUBLISHED', ...body },
    await as(author),
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { data: { id: string } }).data.id;
}

async function comment(userId: string, postingId: string): Promise<string> {
  const res = await postJson(
    '/comments',
    { posting_id: postingId, content: 'reportable' },
    await as(userId),
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { data: { id: string } }).data.id;
}

const report = async (userId: string, targetId: string) =>
  postJson(
    '/reports',
    { target_type: 'comment', target_id: targetId, reason: 'spam' },
    await as(userId),
  );

describe('reporting a comment', () => {
  it('behind a paywall: 404 to a fan without access, 201 once the fan bought the posting', async () => {
    const author = await makeCreator();
    const locked = await posting(author, {
      allow_individual_purchase: true,
      individual_purchase_price_kng: 30,
    });
    const target = await comment(author, locked);
    const fan = await makeCreator();
    await expectError(await report(fan, target), 404, 'NOT_FOUND');
    await fund(fan, 30);
    expect(
      (await api(`/postings/${locked}/purchase`, { method: 'POST', ...(await as(fan)) })).status,
    ).toBe(201);
    expect((await report(fan, target)).status).toBe(201);
    expect((await checkLedgerInvariants(db)).ok).toBe(true);
  });

  it('on a posting the reporter cannot see, or deleted: 404; a stranger and an unknown id look the same', async () => {
    const author = await makeCreator();
    const hidden = await posting(author, { is_public: false });
    const onHidden = await comment(author, hidden);
    const open = await posting(author, {});
    const deleted = await comment(author, open);
    expect(
      (await api(`/comments/${deleted}`, { method: 'DELETE', ...(await as(author)) })).status,
    ).toBe(200);
    const fan = await makeCreator();
    for (const id of [onHidden, deleted, crypto.randomUUID()])
      await expectError(await report(fan, id), 404, 'NOT_FOUND');
    expect((await report(fan, await comment(author, open))).status).toBe(201);
  });

  it('a body-less POST is a 400, not a skipped validation', async () => {
    const fan = await makeCreator();
    await expectError(
      await api('/reports', { method: 'POST', ...(await as(fan)) }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
