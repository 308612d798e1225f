// Reference rows every environment needs (production included), with fixed ids so that applying them
// again changes nothing: the creator categories of the original, the KNG token, the platform treasury
// wallet and the transfer reasons.
import type { Database } from './client.ts';
import { creatorCategories, tokenTypes, transferReasons, wallets } from './schema/index.ts';

export const KNG_TOKEN_TYPE_ID = '0190b5c0-0000-7000-8000-00000000a001';
export const TREASURY_WALLET_ID = '0190b5c0-0000-7000-8000-00000000b001';
export const TREASURY_OWNER_ID = 'treasury';

export const CREATOR_CATEGORIES = [
  {
    id: '0190b5c0-0000-7000-8000-00000000c001',
    name: 'ASMR',
    description: '소리로 힐링하는 크리에이터',
    colorCode: '#8E7CC3',
    icon: 'sound',
    sortOrder: 1,
  },
  {
    id: '0190b5c0-0000-7000-8000-00000000c002',
    name: '버튜버',
    description: '버추얼 유튜버',
    colorCode: '#6FA8DC',
    icon: 'user',
    sortOrder: 2,
  },
  {
    id: '0190b5c0-0000-7000-8000-00000000c003',
    name: '먹방',
    description: '맛있게 먹는 크리에이터',
    colorCode: '#F6B26B',
    icon: 'coffee',
    sortOrder: 3,
  },
  {
    id: '0190b5c0-0000-7000-8000-00000000c004',
    name: '운동',
    description: '운동과 건강',
    colorCode: '#93C47D',
    icon: 'fire',
    sortOrder: 4,
  },
  {
    id: '0190b5c0-0000-7000-8000-00000000c005',
    name: '게임',
    description: '게임 플레이와 공략',
    colorCode: '#E06666',
    icon: 'trophy',
    sortOrder: 5,
  },
  {
    id: '0190b5c0-0000-7000-8000-00000000c006',
    name: '주식',
    description: '투자와 경제',
    colorCode: '#FFD966',
    icon: 'stock',
    sortOrder: 6,
  },
] as const;

export const TRANSFER_REASONS = [
  { id: 1, code: 'charge', name: 'KNG 충전' },
  { id: 2, code: 'refund', name: '환불' },
  { id: 3, code: 'posting_unlock', name: '포스팅 구매' },
  { id: 4, code: 'donation', name: '후원' },
  { id: 5, code: 'subscription', name: '멤버십 구독' },
  { id: 6, code: 'creator_payout', name: '크리에이터 정산' },
  { id: 7, code: 'platform_fee', name: '플랫폼 수수료' },
  { id: 8, code: 'payment_cancel', name: '결제 취소 회수' },
  { id: 9, code: 'account_forfeit', name: '탈퇴 회원 잔액 소멸' },
] as const;

export async function applyReferenceData(db: Database): Promise<void> {
  await db
    .insert(tokenTypes)
    .values({
      id: KNG_TOKEN_TYPE_ID,
      symbol: 'KNG',
      name: '콩',
      description: 'crefans 플랫폼 토큰',
      priceKrw: 100,
    })
    .onDuplicateKeyUpdate({ set: { name: '콩', priceKrw: 100 } });
  await db
    .insert(wallets)
    .values({
      id: TREASURY_WALLET_ID,
      tokenTypeId: KNG_TOKEN_TYPE_ID,
      ownerId: TREASURY_OWNER_ID,
      kind: 'treasury',
      balance: 0,
    })
    .onDuplicateKeyUpdate({ set: { kind: 'treasury' } });
  for (const reason of TRANSFER_REASONS) {
    await db
      .insert(transferReasons)
      .values(reason)
      .onDuplicateKeyUpdate({ set: { name: reason.name } });
  }
  for (const category of CREATOR_CATEGORIES) {
    const { id: _id, ...rest } = category;
    await db.insert(creatorCategories).values(category).onDuplicateKeyUpdate({ set: rest });
  }
}
