import {
  measureWinback,
  newcombeInterval,
  proportionDifference,
  resolveWinbackWindow,
  summarizeWinback,
  WinbackQuery,
  wilsonInterval,
} from '../../../model/metrics';

/** The win-back lift against hand computations (formulas: docs/metrics.md). */

describe('measureWinback', () => {
  it('treated 180 of 900, holdout 8 of 100: rates, lift, Wald interval and relative lift by hand', () => {
    // rates 180/900 = 20%, 8/100 = 8%; lift 12 pp.
    // Wald: both arms have n ≥ 30 and ≥ 5 won and not won.
    // variance = 0.2·0.8/900 + 0.08·0.92/100 = 0.000177778 + 0.000736 = 0.000913778
    // margin = 1.96·√0.000913778 = 1.96·0.0302288 = 0.0592484 → 5.92 pp → [6.08, 17.92]
    // relative = 0.20/0.08 − 1 = 1.5 → 150%
    expect(measureWinback({ treated: { runs: 900, wonBack: 180 }, holdout: { runs: 100, wonBack: 8 } })).toEqual({
      treated: { runs: 900, wonBack: 180, rate: 20 },
      holdout: { runs: 100, wonBack: 8, rate: 8 },
      lift: { points: 12, interval: { low: 6.08, high: 17.92 }, method: 'wald', relative: 150 },
      enoughRuns: true,
      significant: true,
    });
  });

  it('an interval that includes 0 is not significant, however many runs', () => {
    // 100/1000 = 10% vs 9/100 = 9%: lift 1 pp; variance = 0.1·0.9/1000 + 0.09·0.91/100 = 0.00009 + 0.000819
    // = 0.000909, margin = 1.96·0.0301496 = 0.0590933 → [−4.91, 6.91]; relative 10/9 − 1 = 11.11%
    expect(measureWinback({ treated: { runs: 1000, wonBack: 100 }, holdout: { runs: 100, wonBack: 9 } })).toEqual({
      treated: { runs: 1000, wonBack: 100, rate: 10 },
      holdout: { runs: 100, wonBack: 9, rate: 9 },
      lift: { points: 1, interval: { low: -4.91, high: 6.91 }, method: 'wald', relative: 11.11 },
      enoughRuns: true,
      significant: false,
      reason: 'the 95% interval of the lift includes 0: not significant',
    });
  });

  it('a small holdout with no win-back: Newcombe interval, no relative lift, below the minimum n', () => {
    const metric = measureWinback({ treated: { runs: 40, wonBack: 10 }, holdout: { runs: 8, wonBack: 0 } });
    expect(metric.lift?.method).toBe('newcombe');
    expect(metric.lift?.relative).toBeNull();
    expect(metric.lift?.points).toBe(25);
    expect(metric).toMatchObject({
      enoughRuns: false,
      significant: false,
      reason: 'holdout n = 8 is below the minimum of 30: not significant',
    });
    // with minN lowered the flag follows the interval alone
    expect(measureWinback({ treated: { runs: 40, wonBack: 10 }, holdout: { runs: 8, wonBack: 0 } }, 5)).toMatchObject({
      enoughRuns: true,
    });
  });

  it('no runs give no rates and no lift (null, not zero)', () => {
    expect(measureWinback({ treated: { runs: 0, wonBack: 0 }, holdout: { runs: 0, wonBack: 0 } })).toEqual({
      treated: { runs: 0, wonBack: 0, rate: null },
      holdout: { runs: 0, wonBack: 0, rate: null },
      lift: null,
      enoughRuns: false,
      significant: false,
      reason: 'no completed runs',
    });
    expect(measureWinback({ treated: { runs: 50, wonBack: 5 }, holdout: { runs: 0, wonBack: 0 } })).toMatchObject({
      treated: { rate: 10 },
      holdout: { rate: null },
      lift: null,
      reason: 'no completed holdout runs: no lift',
    });
  });
});

describe('intervals of a difference of proportions', () => {
  it("Newcombe's hybrid score interval matches the published table (Newcombe 1998, method 10)", () => {
    const cases: Array<[number, number, number, number, number, number]> = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.809],
      [5, 56, 0, 29, -0.0381, 0.1926],
      [0, 10, 0, 20, -0.1611, 0.2775],
      [0, 10, 0, 10, -0.2775, 0.2775],
      [10, 10, 0, 20, 0.6791, 1],
      [10, 10, 0, 10, 0.6075, 1],
    ];
    for (const [x1, n1, x2, n2, low, high] of cases) {
      const interval = newcombeInterval(x1, n1, x2, n2);
      expect([x1, n1, x2, n2, interval.low]).toEqual([x1, n1, x2, n2, expect.closeTo(low, 4)]);
      expect([x1, n1, x2, n2, interval.high]).toEqual([x1, n1, x2, n2, expect.closeTo(high, 4)]);
    }
  });

  it('Wilson: 0 of 10 is [0, 0.2775]', () => {
    // centre = (0 + 1.96²/20)/(1 + 1.96²/10) = 0.19208/1.38416 = 0.138770; half the same (p = 0)
    const interval = wilsonInterval(0, 10);
    expect(interval.low).toBe(0);
    expect(interval.high).toBeCloseTo(0.2775, 4);
  });

  it('uses Wald only with n ≥ 30 and at least 5 won and 5 not won in both arms', () => {
    expect(proportionDifference(180, 900, 8, 100).method).toBe('wald');
    expect(proportionDifference(180, 900, 4, 100).method).toBe('newcombe');
    expect(proportionDifference(180, 900, 96, 100).method).toBe('newcombe');
    expect(proportionDifference(10, 29, 10, 100).method).toBe('newcombe');
  });
});

describe('summarizeWinback and the window', () => {
  it('sums the groups into the total and sorts groups (numbers numerically, none last)', () => {
    const { groups, total } = summarizeWinback([
      { group: '10', treated: { runs: 450, wonBack: 90 }, holdout: { runs: 50, wonBack: 4 } },
      { group: null, treated: { runs: 1, wonBack: 0 }, holdout: { runs: 0, wonBack: 0 } },
      { group: '9', treated: { runs: 449, wonBack: 90 }, holdout: { runs: 50, wonBack: 4 } },
    ]);
    expect(groups.map((g) => g.group)).toEqual(['9', '10', null]);
    // 180 of 900 and 8 of 100: the hand computation above
    expect(total).toMatchObject({
      treated: { runs: 900, wonBack: 180, rate: 20 },
      holdout: { runs: 100, wonBack: 8, rate: 8 },
      lift: { points: 12, interval: { low: 6.08, high: 17.92 } },
    });
  });

  it('defaults to the win-back journey and the 30 days before now; rejects unknown groupings', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    expect(resolveWinbackWindow(WinbackQuery.parse({}), now)).toEqual({
      journey: 'win-back',
      since: '2026-01-30T00:00:00.000Z',
      until: '2026-03-01T00:00:00.000Z',
      by: null,
      minN: 30,
    });
    expect(WinbackQuery.safeParse({ by: 'team' }).success).toBe(false);
    expect(() => resolveWinbackWindow(WinbackQuery.parse({ since: '2026-02-01', until: '2026-01-01' }), now)).toThrow(
      /since .* must be before until/,
    );
  });
});
