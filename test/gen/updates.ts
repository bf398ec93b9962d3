/**
 * How a transaction looks in each daily delivery of a bucket. A generated Txn carries its whole
 * life: the refund, the cancellation, the billing issue (with its grace period) that happened to it
 * before the end of the year. The delivery of the day it started shows it as it was that day; each
 * later event brings it back in that day's "new and updated transactions" delivery, with the event
 * set and updated_at moved to it. Deterministic: nothing is drawn at random here.
 */
import type { Txn } from './model';
import { DAY } from './values';

/** The transaction as known at unix second `at`: the events after it not happened yet. */
export function asOf(t: Txn, at: number): Txn {
  const refundedAt = t.refundedAt !== null && t.refundedAt <= at ? t.refundedAt : null;
  const unsubAt = t.unsubAt !== null && t.unsubAt <= at ? t.unsubAt : null;
  const billingAt = t.billingAt !== null && t.billingAt <= at ? t.billingAt : null;
  if (refundedAt === t.refundedAt && unsubAt === t.unsubAt && billingAt === t.billingAt)
    return t.updatedAt <= at ? t : { ...t, updatedAt: at, updatedFrac: '' };
  // before a refund or a grace period, access ends at the period's end
  const grace = billingAt === null ? null : t.grace;
  const effective = refundedAt ?? grace ?? t.end;
  let latest = t.start;
  for (const x of [refundedAt, unsubAt, billingAt]) if (x !== null && x > latest) latest = x;
  // updated_at a few minutes after the last event known (a fixed offset from the id, never past `at`)
  const lag = (t.renewal * 997 + t.txId.length * 131) % 1800;
  return {
    ...t,
    refundedAt,
    unsubAt,
    billingAt,
    grace,
    effective,
    updatedAt: Math.min(latest + lag, at),
    updatedFrac: '',
  };
}

/**
 * The days (0-based, after `first`, at most `last`) on which the transaction changes: one per
 * event day. Day k's delivery is written at e0 + k days and holds what happened in the day before it.
 */
export function updateDays(t: Txn, e0: number, first: number, last: number): number[] {
  const days: number[] = [];
  for (const x of [t.refundedAt, t.unsubAt, t.billingAt]) {
    if (x === null) continue;
    const d = Math.max(0, Math.ceil((x - e0) / DAY));
    if (d > first && d <= last && !days.includes(d)) days.push(d);
  }
  return days.sort((a, b) => a - b);
}
