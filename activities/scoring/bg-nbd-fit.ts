import type { BgNbdParams } from '../../model/churn';
import { logLikelihood, type BgNbdBase } from './bg-nbd';
import { nelderMead } from './nelder-mead';

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
  /** The parameters that ended on a bound of FIT_BOUNDS. */
  atBound: (keyof BgNbdParams)[];
}

/**
 * The box the fit searches: r and α from 0.0001 to 10,000; a and b up to 100. Larger a and b mean nearly
 * the same dropout probability a/(a+b) for everyone (small bases fit that way) and make the ₂F₁ of the
 * expected purchases ill-conditioned, so the fit stops at the bound (and says so).
 */
export const FIT_BOUNDS = { r: [1e-4, 1e4], alpha: [1e-4, 1e4], a: [1e-4, 100], b: [1e-4, 100] } as const;
const LOG_BOUNDS = Object.values(FIT_BOUNDS).map(([low, high]) => [Math.log(low), Math.log(high)]);

const fromLog = ([r, alpha, a, b]: number[]): BgNbdParams => ({
  r: Math.exp(r),
  alpha: Math.exp(alpha),
  a: Math.exp(a),
  b: Math.exp(b),
});

/**
 * Maximum-likelihood BG/NBD parameters for a base: Nelder–Mead on the logarithms of (r, α, a, b), which
 * keeps all four positive without constraints. Needs at least one customer; a base without repeat buyers
 * has no maximum (dropout is unidentified), so callers configure parameters for such a base instead.
 */
export function fitBgNbd(base: BgNbdBase): BgNbdFit {
  const rows = base.x.length;
  let n = 0;
  let meanT = 0;
  for (let i = 0; i < rows; i++) {
    const count = base.count ? base.count[i] : 1;
    n += count;
    meanT += count * base.T[i];
  }
  if (n === 0) throw new RangeError('fitting BG/NBD needs at least one customer with an order');
  meanT /= n;
  // Start: r = 1 and α at the base's mean age (about one purchase per customer lifetime), a = b = 1.
  const start = [0, Math.log(Math.max(meanT, 1)), 0, 0];
  const negativeLl = (logParams: number[]) =>
    logParams.some((p, i) => p < LOG_BOUNDS[i][0] || p > LOG_BOUNDS[i][1])
      ? Infinity
      : -logLikelihood(fromLog(logParams), base) / n;
  let found = nelderMead(negativeLl, start, { step: 0.5, maxIterations: 3000 });
  // one restart from the result escapes the occasional collapsed simplex
  const restart = nelderMead(negativeLl, found.point, { step: 0.2, maxIterations: 3000 });
  found = { ...restart, iterations: found.iterations + restart.iterations };
  const params = fromLog(found.point);
  const atBound = (Object.keys(FIT_BOUNDS) as (keyof BgNbdParams)[]).filter(
    (key) => params[key] <= FIT_BOUNDS[key][0] * 1.01 || params[key] >= FIT_BOUNDS[key][1] * 0.99,
  );
  return {
    params,
    atBound,
    logLikelihood: -found.value * n,
    iterations: found.iterations,
    converged: found.converged,
  };
}
