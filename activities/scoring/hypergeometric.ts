/**
 * Gauss's hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1, by its power series
 * Σ (a)ₙ(b)ₙ / (c)ₙ zⁿ/n!. Callers keep z away from 1 and the parameters small (see bg-nbd.ts), where the
 * series converges geometrically.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1)) throw new RangeError(`hyp2f1 needs 0 <= z < 1, got ${z}`);
  let term = 1;
  let sum = 1;
  // z close to 1 (a tiny α with a long horizon) needs many terms: about 30 / (1 − z)
  for (let n = 0; n < 10_000_000; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (Math.abs(term) <= 1e-13 * Math.abs(sum)) return sum;
  }
  throw new RangeError(`hyp2f1(${a}, ${b}; ${c}; ${z}) did not converge`);
}
