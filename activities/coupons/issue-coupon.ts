import { randomBytes } from 'node:crypto';
import type { Stores } from '../store';
import type { Coupon } from '../store/coupons';

/**
 * The coupon to issue: `key` is run + step (a retried call returns the coupon issued first); `expiresAt` is
 * workflow time + the step's validity, so a replayed or simulated run dates it by its own clock.
 */
export type IssueCouponInput = Omit<Coupon, 'code' | 'redeemedOrderId'>;

/** Letters and digits people can type without confusing them: no 0/O, 1/I/L. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A readable code with the campaign's initials, e.g. WB-7KQ2-MX9D for win-back. */
function couponCode(campaign: string): string {
  const prefix = campaign
    .split('-')
    .map((word) => word[0])
    .join('')
    .toUpperCase();
  const chars = [...randomBytes(8)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${prefix}-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** The coupon step: a personal code, issued once per run and step, stored for redemption. */
export async function issueCoupon(stores: Stores, input: IssueCouponInput): Promise<Coupon> {
  const { coupon } = await stores.coupons.issue({ ...input, code: couponCode(input.campaign) });
  return coupon;
}
