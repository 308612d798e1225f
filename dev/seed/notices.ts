// Demo notices for the board (공지사항, 이벤트): fixed ids, upserted, so seeding again changes nothing.
import type { Database } from '../../src/db/client.ts';
import { boardPosts } from '../../src/db/schema/index.ts';

export const DEMO_NOTICES = [
  {
    id: '0190b5c0-0000-7000-8000-00000000d001',
    category: 'notice' as const,
    title: '크리팬스 서비스 오픈 안내',
    content:
      '크리팬스가 문을 열었습니다.\n좋아하는 크리에이터의 멤버십에 가입하고 전용 포스팅을 만나 보세요.',
    excerpt: '크리팬스가 문을 열었습니다.',
    isImportant: true,
  },
  {
    id: '0190b5c0-0000-7000-8000-00000000d002',
    category: 'notice' as const,
    title: '개인정보 처리방침 개정 안내',
    content: '회원 탈퇴 시 유예 기간(14일)과 개인정보 파기 절차를 안내드립니다.',
    excerpt: null,
    isImportant: false,
  },
  {
    id: '0190b5c0-0000-7000-8000-00000000d003',
    category: 'event' as const,
    title: '첫 충전 콩 보너스 이벤트',
    content: '이벤트 기간 동안 처음 충전하시는 분께 보너스 콩을 드립니다.',
    excerpt: '처음 충전하면 보너스 콩!',
    isImportant: false,
  },
];

export async function seedNotices(db: Database): Promise<void> {
  const publishedAt = new Date('2026-01-01T00:00:00.000Z');
  for (const notice of DEMO_NOTICES) {
    const { id: _id, ...set } = notice;
    await db
      .insert(boardPosts)
      .values({ ...notice, isPublished: true, publishedAt, createdBy: 'seed' })
      .onDuplicateKeyUpdate({ set });
  }
}
