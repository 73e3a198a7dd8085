import gammaln from '@stdlib/math-base-special-gammaln';
import type { BgNbdParams } from '../../model/churn';
import { hyp2f1 } from './hypergeometric';

/**
 * The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"). A customer is
 * described by x (repeat purchases), tx (time of the last purchase) and T (time since the first), all
 * measured from the first purchase; Touchpoint measures time in weeks (see docs/churn.md).
 */
export interface BgNbdCustomer {
  x: number;
  tx: number;
  T: number;
}

/**
 * P(alive | x, tx, T) = 1 / (1 + [x>0] · a/(b+x−1) · ((α+T)/(α+tx))^(r+x)).
 * With x = 0 it is always 1: the model cannot tell a one-time buyer who left from one who has not yet returned.
 */
export function pAlive({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: BgNbdCustomer): number {
  if (x === 0) return 1;
  return 1 / (1 + (a / (b + x - 1)) * Math.exp((r + x) * Math.log((alpha + T) / (alpha + tx))));
}

/**
 * E[Y(t) | x, tx, T]: the expected number of purchases in the next t weeks (FHL 2005, eq. 10).
 * The ₂F₁ there, with parameters growing with x, is rewritten by Euler's transformation
 * ₂F₁(A, B; C; z) = (1−z)^(C−A−B) ₂F₁(C−A, C−B; C; z), so that its parameters stay small for any x.
 */
export function expectedPurchases(params: BgNbdParams, customer: BgNbdCustomer, t: number): number {
  const { r, alpha, b } = params;
  const { x, T } = customer;
  // a = 1 is a removable singularity of the closed form; 1e-6 away the value is continuous and still
  // well-conditioned (closer, 1 − (1−z)^(a−1)·₂F₁ cancels to a few digits)
  const a = Math.abs(params.a - 1) < 1e-6 ? 1 + 1e-6 : params.a;
  if (t <= 0) return 0;
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  const bracket = 1 - Math.pow(1 - z, a - 1) * hyp2f1(a + b - 1 - r, a - 1, c, z);
  const unconditioned = (c / (a - 1)) * bracket;
  return unconditioned * pAlive({ r, alpha, a, b }, customer);
}

/** lnΓ-terms that depend on x alone, computed once per distinct x and evaluation. */
function lnTermsByX(params: BgNbdParams, maxX: number): Float64Array {
  const { r, alpha, a, b } = params;
  const constant = r * Math.log(alpha) - gammaln(r) + gammaln(a + b) - gammaln(b);
  const terms = new Float64Array(maxX + 1);
  for (let x = 0; x <= maxX; x++) {
    terms[x] = constant + gammaln(r + x) + gammaln(b + x) - gammaln(a + b + x);
  }
  return terms;
}

/**
 * The customers of a base as columns, so a fit over 100,000 customers holds a few arrays, not objects.
 * With `count`, row i stands for count[i] customers with the same (x, tx, T) (see churn-model.ts).
 */
export interface BgNbdBase {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  count?: Float64Array;
}

/**
 * The BG/NBD log-likelihood of a base (FHL 2005, eq. 6):
 * L = Γ(r+x)α^r/Γ(r) · B(a, b+x)/B(a, b) · [(α+T)^−(r+x) + [x>0] · a/(b+x−1) · (α+tx)^−(r+x)].
 */
export function logLikelihood(params: BgNbdParams, base: BgNbdBase): number {
  const { r, alpha, a, b } = params;
  const n = base.x.length;
  let maxX = 0;
  for (let i = 0; i < n; i++) if (base.x[i] > maxX) maxX = base.x[i];
  const byX = lnTermsByX(params, maxX);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = base.x[i];
    const lnA3 = -(r + x) * Math.log(alpha + base.T[i]);
    let lnBracket = lnA3;
    if (x > 0) {
      const lnA4 = Math.log(a / (b + x - 1)) - (r + x) * Math.log(alpha + base.tx[i]);
      const high = Math.max(lnA3, lnA4);
      lnBracket = high + Math.log1p(Math.exp(Math.min(lnA3, lnA4) - high));
    }
    sum += (base.count ? base.count[i] : 1) * (byX[x] + lnBracket);
  }
  return sum;
}
