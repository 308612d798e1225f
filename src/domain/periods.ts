// Billing periods anchored to the subscription's start: period k starts at anchor + k × (count × unit),
// so renewals never drift with the time the cron happens to run (Jan 31 monthly → Feb 28/29 → Mar 31).
import { addDays, addMonths, addWeeks, addYears } from 'date-fns';
import type { PeriodUnit } from '../db/schema/columns.ts';

export function periodBoundary(anchor: Date, unit: PeriodUnit, count: number, k: number): Date {
  const n = count * k;
  switch (unit) {
    case 'DAY':
      return addDays(anchor, n);
    case 'WEEK':
      return addWeeks(anchor, n);
    case 'MONTH':
      return addMonths(anchor, n);
    case 'YEAR':
      return addYears(anchor, n);
  }
}

/** The index k of the period that starts exactly at `start` (or the last one starting before it). */
export function periodIndex(anchor: Date, unit: PeriodUnit, count: number, start: Date): number {
  const approxMs: Record<PeriodUnit, number> = {
    DAY: 86_400_000,
    WEEK: 7 * 86_400_000,
    MONTH: 30 * 86_400_000,
    YEAR: 365 * 86_400_000,
  };
  let k = Math.max(
    0,
    Math.floor((start.getTime() - anchor.getTime()) / (approxMs[unit] * count)) - 1,
  );
  while (periodBoundary(anchor, unit, count, k + 1).getTime() <= start.getTime()) k++;
  while (k > 0 && periodBoundary(anchor, unit, count, k).getTime() > start.getTime()) k--;
  return k;
}

export function trialEnd(start: Date, unit: PeriodUnit, length: number): Date {
  return periodBoundary(start, unit, length, 1);
}

/** Fee in whole tokens, rounded down (the creator keeps the remainder). */
export function platformFee(amount: number, feeBps: number): number {
  return Math.floor((amount * feeBps) / 10_000);
}
