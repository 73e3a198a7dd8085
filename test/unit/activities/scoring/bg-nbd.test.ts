import { expectedPurchases, logLikelihood, pAlive } from '../../../../activities/scoring/bg-nbd';
import { fitBgNbd } from '../../../../activities/scoring/bg-nbd-fit';
import { hyp2f1 } from '../../../../activities/scoring/hypergeometric';
import { simulateBgNbd } from './simulate-bg-nbd';

// REFERENCE's test-vector parameters (FHL 2005's CDNOW estimates, time in weeks)
const CDNOW = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('BG/NBD P(alive)', () => {
  it('matches the published test vectors to 3 decimals', () => {
    expect(pAlive(CDNOW, { x: 23, tx: 39, T: 39 })).toBeCloseTo(0.9686, 3);
    expect(pAlive(CDNOW, { x: 5, tx: 30, T: 39 })).toBeCloseTo(0.706, 3);
    expect(pAlive(CDNOW, { x: 20, tx: 30, T: 39 })).toBeCloseTo(0.197, 3);
  });

  it('is 1 without repeat purchases, however long ago the purchase was', () => {
    expect(pAlive(CDNOW, { x: 0, tx: 0, T: 39 })).toBe(1);
    expect(pAlive(CDNOW, { x: 0, tx: 0, T: 5000 })).toBe(1);
  });
});

describe('BG/NBD expected purchases', () => {
  it("matches FHL 2005's worked example: x = 2, tx = 30.43, T = 38.86 → 1.226 purchases in the next 39 weeks", () => {
    expect(expectedPurchases(CDNOW, { x: 2, tx: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 3);
  });

  it('for a customer seen at time 0 equals the unconditional E[X(t)] (the Euler-transformed series agrees)', () => {
    const { r, alpha, a, b } = CDNOW;
    const t = 39;
    // FHL eq. 7: E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r · ₂F₁(r, b; a+b−1; t/(α+t))]
    const unconditional =
      ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)));
    expect(expectedPurchases(CDNOW, { x: 0, tx: 0, T: 0 }, t)).toBeCloseTo(unconditional, 10);
  });

  it('is continuous through a = 1, where the closed form has a removable singularity', () => {
    const at = (a: number) => expectedPurchases({ r: 0.5, alpha: 5, a, b: 3 }, { x: 3, tx: 20, T: 30 }, 52);
    expect(Math.abs(at(1) - at(0.99999))).toBeLessThan(1e-4);
    expect(Math.abs(at(1) - at(1.00001))).toBeLessThan(1e-4);
  });

  it('stays finite for a heavy buyer over three years and is 0 for no time', () => {
    const heavy = expectedPurchases(CDNOW, { x: 80, tx: 38, T: 39 }, 156);
    expect(Number.isFinite(heavy)).toBe(true);
    expect(heavy).toBeGreaterThan(expectedPurchases(CDNOW, { x: 80, tx: 38, T: 39 }, 52));
    expect(expectedPurchases(CDNOW, { x: 3, tx: 10, T: 20 }, 0)).toBe(0);
  });
});

describe('hyp2f1', () => {
  it('matches closed forms: ₂F₁(1, 1; 2; z) = −ln(1−z)/z and ₂F₁(a, b; b; z) = (1−z)^−a', () => {
    expect(hyp2f1(1, 1, 2, 0.5)).toBeCloseTo(-Math.log(0.5) / 0.5, 12);
    expect(hyp2f1(0.7, 3, 3, 0.9)).toBeCloseTo(0.1 ** -0.7, 10);
  });
  it('refuses z outside [0, 1)', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
  });
});

describe('BG/NBD log-likelihood', () => {
  it('matches a hand computation for a two-customer base', () => {
    // r = α = a = b = 1.
    // Customer 1, x = 1, tx = 1, T = 3: L = r·α^r · b/(a+b) · [(α+T)^−2 + a/b · (α+tx)^−2] = ½ · (1/16 + 1/4) = 5/32.
    // Customer 2, x = 0, T = 3: L = (α/(α+T))^r = 1/4.  Together: ln(5/32 · 1/4) = ln(5/128).
    const base = { x: new Float64Array([1, 0]), tx: new Float64Array([1, 0]), T: new Float64Array([3, 3]) };
    expect(logLikelihood({ r: 1, alpha: 1, a: 1, b: 1 }, base)).toBeCloseTo(Math.log(5 / 128), 12);
  });
});

describe('BG/NBD log-likelihood of a base with counted rows', () => {
  it('equals the log-likelihood of the customers written out one by one', () => {
    const params = { r: 0.8, alpha: 10, a: 0.5, b: 3 };
    // rows: (x, tx, T) = (0, 0, 30) × 3, (2, 12.5, 30) × 2, (5, 29, 40) × 1
    const counted = {
      x: new Float64Array([0, 2, 5]),
      tx: new Float64Array([0, 12.5, 29]),
      T: new Float64Array([30, 30, 40]),
      count: new Float64Array([3, 2, 1]),
    };
    const written = {
      x: new Float64Array([0, 0, 0, 2, 2, 5]),
      tx: new Float64Array([0, 0, 0, 12.5, 12.5, 29]),
      T: new Float64Array([30, 30, 30, 30, 30, 40]),
    };
    expect(logLikelihood(params, counted)).toBeCloseTo(logLikelihood(params, written), 10);
    expect(fitBgNbd(counted).params.r).toBeCloseTo(fitBgNbd(written).params.r, 4);
  });
});

describe('BG/NBD fit', () => {
  it('recovers the parameters a base was simulated from', () => {
    const truth = { r: 0.8, alpha: 10, a: 0.5, b: 3 };
    // 10,000 customers, first purchases spread so they are watched for 26 to 52 weeks
    const base = simulateBgNbd(truth, 10_000, (i) => 26 + (i % 27), 7);
    const fit = fitBgNbd(base);
    expect(fit.converged).toBe(true);
    expect(fit.atBound).toEqual([]);
    // the maximum is at least as likely as the truth, and close to it
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(logLikelihood(truth, base));
    expect(fit.params.r).toBeGreaterThan(truth.r * 0.9);
    expect(fit.params.r).toBeLessThan(truth.r * 1.1);
    expect(fit.params.alpha).toBeGreaterThan(truth.alpha * 0.9);
    expect(fit.params.alpha).toBeLessThan(truth.alpha * 1.1);
    // dropout is identified less sharply by 26–52 weeks of data
    expect(fit.params.a).toBeGreaterThan(truth.a * 0.8);
    expect(fit.params.a).toBeLessThan(truth.a * 1.25);
    expect(fit.params.b).toBeGreaterThan(truth.b * 0.75);
    expect(fit.params.b).toBeLessThan(truth.b * 1.33);
  });

  it('refuses an empty base', () => {
    const empty = { x: new Float64Array(0), tx: new Float64Array(0), T: new Float64Array(0) };
    expect(() => fitBgNbd(empty)).toThrow(/at least one customer/);
  });
});
