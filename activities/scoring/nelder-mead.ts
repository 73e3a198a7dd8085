/**
 * Nelder–Mead minimisation (the standard reflection/expansion/contraction/shrink coefficients 1, 2, ½, ½).
 * Small and derivative-free: enough for the four BG/NBD parameters; no npm optimiser we found is maintained.
 */
export interface MinimumFound {
  point: number[];
  value: number;
  iterations: number;
  /** Whether the simplex shrank below the tolerances before `maxIterations`. */
  converged: boolean;
}

export interface NelderMeadOptions {
  /** Initial simplex: the start plus `step` along each axis. */
  step?: number;
  maxIterations?: number;
  /** Stop when the simplex's values differ by less than this and its points by less than `pointTolerance`. */
  valueTolerance?: number;
  pointTolerance?: number;
}

export function nelderMead(
  f: (point: number[]) => number,
  start: number[],
  options: NelderMeadOptions = {},
): MinimumFound {
  const { step = 0.5, maxIterations = 2000, valueTolerance = 1e-8, pointTolerance = 1e-6 } = options;
  const n = start.length;
  // a non-finite value (outside the function's domain) counts as worse than anything finite
  const value = (p: number[]) => {
    const v = f(p);
    return Number.isFinite(v) ? v : Infinity;
  };
  let simplex = [start, ...start.map((_, i) => start.map((s, j) => (i === j ? s + step : s)))].map((point) => ({
    point,
    value: value(point),
  }));
  const along = (from: number[], to: number[], t: number) => from.map((p, i) => p + t * (to[i] - p));

  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((p, q) => p.value - q.value);
    const best = simplex[0];
    const worst = simplex[n];
    const spread = Math.max(...simplex.map((s) => Math.max(...s.point.map((p, i) => Math.abs(p - best.point[i])))));
    if (Math.abs(worst.value - best.value) <= valueTolerance * (1 + Math.abs(best.value)) && spread <= pointTolerance) {
      return { point: best.point, value: best.value, iterations, converged: true };
    }
    const centroid = start.map((_, i) => simplex.slice(0, n).reduce((sum, s) => sum + s.point[i], 0) / n);
    const reflected = along(centroid, worst.point, -1);
    const reflectedValue = value(reflected);
    if (reflectedValue < best.value) {
      const expanded = along(centroid, worst.point, -2);
      const expandedValue = value(expanded);
      simplex[n] =
        expandedValue < reflectedValue
          ? { point: expanded, value: expandedValue }
          : { point: reflected, value: reflectedValue };
    } else if (reflectedValue < simplex[n - 1].value) {
      simplex[n] = { point: reflected, value: reflectedValue };
    } else {
      // contract towards the better of the worst point and its reflection
      const outside = reflectedValue < worst.value;
      const contracted = along(centroid, outside ? reflected : worst.point, 0.5);
      const contractedValue = value(contracted);
      if (contractedValue < Math.min(reflectedValue, worst.value)) {
        simplex[n] = { point: contracted, value: contractedValue };
      } else {
        simplex = simplex.map((s, i) => {
          if (i === 0) return s;
          const point = along(best.point, s.point, 0.5);
          return { point, value: value(point) };
        });
      }
    }
  }
  simplex.sort((p, q) => p.value - q.value);
  return { point: simplex[0].point, value: simplex[0].value, iterations, converged: false };
}
