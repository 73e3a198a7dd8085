import { randomBytes } from 'node:crypto';

/** Voucher codes people can type: no 0/O, 1/I. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Random characters from the typeable alphabet (32 letters: each byte maps evenly). */
export function typeableCode(length: number): string {
  return [...randomBytes(length)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

/** A voucher code in three groups of four, e.g. K7QM-3RTX-9PZA (60 random bits). */
export function voucherCode(): string {
  const chars = typeableCode(12);
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}
