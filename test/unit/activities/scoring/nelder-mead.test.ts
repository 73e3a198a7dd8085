import { nelderMead } from '../../../../activities/scoring/nelder-mead';

describe('nelderMead', () => {
  it("finds Rosenbrock's minimum at (1, 1)", () => {
    const rosenbrock = ([x, y]: number[]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    const found = nelderMead(rosenbrock, [-1.2, 1], {
      maxIterations: 5000,
      pointTolerance: 1e-8,
      valueTolerance: 1e-12,
    });
    expect(found.converged).toBe(true);
    expect(found.point[0]).toBeCloseTo(1, 4);
    expect(found.point[1]).toBeCloseTo(1, 4);
  });

  it('treats values outside the domain (Infinity, NaN) as worse than any finite one', () => {
    // minimum of (x − 2)² restricted to x ≤ 1 lies on the edge, x = 1
    const found = nelderMead(([x]) => (x > 1 ? NaN : (x - 2) ** 2), [0], { step: 0.3 });
    expect(found.point[0]).toBeCloseTo(1, 4);
  });

  it('reports no convergence when the iterations run out', () => {
    const found = nelderMead(([x, y]) => x * x + y * y, [5, 5], { maxIterations: 3 });
    expect(found.converged).toBe(false);
    expect(found.iterations).toBe(3);
  });
});
