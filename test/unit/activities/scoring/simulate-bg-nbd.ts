import type { BgNbdParams } from '../../../../model/churn';
import type { BgNbdBase } from '../../../../activities/scoring/bg-nbd';

/** mulberry32: a seeded generator, so the simulated base is the same on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gamma(shape, 1) by Marsaglia & Tsang (with the boost for shape < 1). */
function gamma(random: () => number, shape: number): number {
  if (shape < 1) return gamma(random, shape + 1) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      // standard normal by Box–Muller
      x = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * A base drawn from the BG/NBD story: each customer buys at rate λ ~ Gamma(r, α) (a Poisson process)
 * and after each repeat purchase drops out with probability p ~ Beta(a, b); observed for `weeks` from the first purchase.
 */
export function simulateBgNbd(
  params: BgNbdParams,
  customers: number,
  weeks: (i: number) => number,
  seed = 1,
): BgNbdBase {
  const random = seeded(seed);
  const base = { x: new Float64Array(customers), tx: new Float64Array(customers), T: new Float64Array(customers) };
  for (let i = 0; i < customers; i++) {
    const lambda = gamma(random, params.r) / params.alpha;
    const ga = gamma(random, params.a);
    const p = ga / (ga + gamma(random, params.b));
    const T = weeks(i);
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(1 - random()) / lambda;
      if (t > T) break;
      x += 1;
      tx = t;
      if (random() < p) break; // dropped out after this repeat purchase (never after the first, in BG/NBD)
    }
    base.x[i] = x;
    base.tx[i] = tx;
    base.T[i] = T;
  }
  return base;
}
