export * from './users.ts';
export * from './memberships.ts';
export * from './ledger.ts';
export * from './postings.ts';
export * from './media.ts';
export * from './social.ts';
export * from './payments.ts';
export * from './idempotency.ts';
