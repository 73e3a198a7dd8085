import {
  measure,
  meanScore,
  MetricsQuery,
  netPromoterScore,
  proportion,
  resolveWindow,
  summarize,
  type ScoreCount,
} from '../../../model/metrics';

/** Score counts on a scale, as the store returns them. */
const counts = (scale: [number, number], byScore: Record<number, number>): ScoreCount[] =>
  Object.entries(byScore).map(([score, count]) => ({
    scaleMin: scale[0],
    scaleMax: scale[1],
    score: Number(score),
    count,
  }));

describe('netPromoterScore', () => {
  it('is the REFERENCE example: P=50, D=20, n=100 → 30 ± 15.3 (Wald)', () => {
    // p = .5, d = .2: p + d − (p − d)² = .7 − .09 = .61; √(.61/100) = .0781025; × 196 = 15.3081
    const nps = netPromoterScore(50, 20, 100);
    expect(nps.score).toBe(30);
    expect(nps.marginOfError).toBeCloseTo(15.3081, 4);
    expect(nps.method).toBe('wald');
    expect(nps.interval?.low).toBeCloseTo(14.6919, 4);
    expect(nps.interval?.high).toBeCloseTo(45.3081, 4);
  });

  it('uses the plain Wald method from n = 30', () => {
    // P=15, D=6, n=30: p = .5, d = .2 → .61/30 = .0203333; √ = .1425950; × 196 = 27.9486
    const nps = netPromoterScore(15, 6, 30);
    expect(nps.score).toBe(30);
    expect(nps.marginOfError).toBeCloseTo(27.9486, 4);
    expect(nps.method).toBe('wald');
  });

  it('uses adjusted Wald below n = 30: 3 added to n, 0.75 to P and D', () => {
    // P=10, D=5, n=20: NPS = 100·5/20 = 25.
    // adjusted: P' = 10.75, D' = 5.75, n' = 23; p = 10.75/23 = .4673913, d = 5.75/23 = .25
    // p + d − (p − d)² = .7173913 − .0472590 = .6701323; /23 = .0291362; √ = .1706933; × 196 = 33.45588
    // interval centred on the adjusted NPS 100·(p − d) = 21.73913: [21.73913 − 33.45588, 21.73913 + 33.45588] = [−11.71675, 55.19501]
    const nps = netPromoterScore(10, 5, 20);
    expect(nps.score).toBe(25);
    expect(nps.marginOfError).toBeCloseTo(33.4559, 4);
    expect(nps.method).toBe('adjusted-wald');
    expect(nps.interval?.low).toBeCloseTo(-11.71675, 4);
    expect(nps.interval?.high).toBeCloseTo(55.19501, 4);
  });

  it('gives an honest margin when every answer is a promoter, and clamps the interval to 100', () => {
    // P=3, D=0, n=3: plain Wald would say 100 ± 0. Adjusted: P' = 3.75, D' = .75, n' = 6;
    // p = .625, d = .125: .75 − .25 = .5; /6 = .0833333; √ = .2886751; × 196 = 56.5803; centre 50
    const nps = netPromoterScore(3, 0, 3);
    expect(nps.score).toBe(100);
    expect(nps.marginOfError).toBeCloseTo(56.5803, 4);
    expect(nps.interval?.low).toBeCloseTo(-6.5803, 4);
    expect(nps.interval?.high).toBe(100);
  });

  it('refuses n = 0', () => {
    expect(() => netPromoterScore(0, 0, 0)).toThrow(RangeError);
  });
});

describe('proportion (CSAT)', () => {
  it('is Wald from n = 30: 80 of 100 → 80% ± 7.84', () => {
    // 1.96·√(.8·.2/100) = 1.96·.04 = .0784 → 7.84 points
    const csat = proportion(80, 100);
    expect(csat.score).toBe(80);
    expect(csat.marginOfError).toBeCloseTo(7.84, 6);
    expect(csat.method).toBe('wald');
  });

  it('is adjusted Wald (Agresti–Coull: +2 successes, +2 failures) below n = 30: 9 of 10', () => {
    // p̃ = 11/14 = .7857143; p̃(1 − p̃) = .1683673; /14 = .0120262; √ = .1096641; × 196 = 21.4942
    // interval 78.5714 ± 21.4942 = [57.0772, 100.0656 → 100]
    const csat = proportion(9, 10);
    expect(csat.score).toBe(90);
    expect(csat.marginOfError).toBeCloseTo(21.4942, 4);
    expect(csat.method).toBe('adjusted-wald');
    expect(csat.interval?.low).toBeCloseTo(57.0772, 4);
    expect(csat.interval?.high).toBe(100);
  });
});

describe('meanScore (CES)', () => {
  it('is the mean with 1.96·s/√n', () => {
    // 7,7,5,3,1: mean 23/5 = 4.6; squared deviations 5.76·2 + .16 + 2.56 + 12.96 = 27.2;
    // s² = 27.2/4 = 6.8, s = 2.6076810; /√5 = 1.1661904; × 1.96 = 2.2857331
    const ces = meanScore(
      new Map([
        [7, 2],
        [5, 1],
        [3, 1],
        [1, 1],
      ]),
      { min: 1, max: 7 },
    );
    expect(ces.score).toBeCloseTo(4.6, 10);
    expect(ces.marginOfError).toBeCloseTo(2.2857331, 6);
    expect(ces.interval?.low).toBeCloseTo(2.3142669, 6);
    expect(ces.interval?.high).toBeCloseTo(6.8857331, 6);
  });

  it('has no margin for a single answer', () => {
    const ces = meanScore(new Map([[6, 1]]), { min: 1, max: 7 });
    expect(ces.score).toBe(6);
    expect(ces.marginOfError).toBeNull();
    expect(ces.interval).toBeNull();
  });
});

describe('measure', () => {
  it('counts NPS classes by the standard thresholds, with n, response rate and significance', () => {
    // 0–6: 4+6+10 = 20 detractors; 7–8: 30 passives; 9–10: 50 promoters → the REFERENCE example
    const answers = counts([0, 10], { 0: 4, 5: 6, 6: 10, 7: 12, 8: 18, 9: 20, 10: 30 });
    expect(measure('nps', { invitations: 400, answers })).toEqual({
      score: 30,
      n: 100,
      invitations: 400,
      responseRate: 25, // 100/400
      marginOfError: 15.3,
      interval: { low: 14.7, high: 45.3 },
      method: 'wald',
      significant: true,
      counts: { promoters: 50, passives: 30, detractors: 20 },
      distribution: { '0': 4, '5': 6, '6': 10, '7': 12, '8': 18, '9': 20, '10': 30 },
      excluded: 0,
    });
  });

  it('flags n below the minimum as not significant, with the reason', () => {
    // P=10, D=5, n=20 as above: 25 ± 33.5 (adjusted Wald); 20/60 invitations = 33.3%
    const answers = counts([0, 10], { 10: 10, 7: 5, 3: 5 });
    const metric = measure('nps', { invitations: 60, answers }, 30);
    expect(metric).toMatchObject({
      score: 25,
      n: 20,
      responseRate: 33.3,
      marginOfError: 33.5,
      interval: { low: -11.7, high: 55.2 },
      method: 'adjusted-wald',
      significant: false,
      reason: 'n = 20 is below the minimum of 30: not significant',
    });
    // the minimum is the caller's
    expect(measure('nps', { invitations: 60, answers }, 20)).toMatchObject({ significant: true });
    expect(measure('nps', { invitations: 60, answers }, 20).reason).toBeUndefined();
  });

  it('reports n = 0 as no score (null, not 0)', () => {
    expect(measure('nps', { invitations: 12, answers: [] })).toEqual({
      score: null,
      n: 0,
      invitations: 12,
      responseRate: 0,
      marginOfError: null,
      interval: null,
      method: null,
      significant: false,
      reason: 'no answers',
      counts: { promoters: 0, passives: 0, detractors: 0 },
      distribution: {},
      excluded: 0,
    });
    expect(measure('csat', { invitations: 0, answers: [] })).toMatchObject({ score: null, responseRate: null });
  });

  it('does not count answers stored on another scale than the metric is defined on', () => {
    const answers = [...counts([0, 10], { 10: 1, 0: 1 }), ...counts([1, 5], { 5: 3 })];
    expect(measure('nps', { invitations: 5, answers }, 1)).toMatchObject({ n: 2, score: 0, excluded: 3 });
  });

  it('takes CSAT as the top-2-box of the stored scale', () => {
    // 1–5: 4s and 5s: 50 + 30 = 80 of 100 → 80 ± 7.8; neutral 3: 12; dissatisfied 1–2: 8
    const answers = counts([1, 5], { 1: 3, 2: 5, 3: 12, 4: 50, 5: 30 });
    expect(measure('csat', { invitations: 100, answers })).toMatchObject({
      score: 80,
      marginOfError: 7.8,
      counts: { satisfied: 80, neutral: 12, dissatisfied: 8 },
    });
    // on a 0–10 scale the top two boxes are 9 and 10
    expect(measure('csat', { invitations: 4, answers: counts([0, 10], { 10: 1, 9: 1, 8: 2 }) }, 1)).toMatchObject({
      score: 50,
      counts: { satisfied: 2, neutral: 2, dissatisfied: 0 },
    });
  });

  it('gives CES as the mean, its margin and the share of easy answers (5–7)', () => {
    // the 7,7,5,3,1 example: 4.6 ± 2.29; easy 3/5 = 60%
    const answers = counts([1, 7], { 7: 2, 5: 1, 3: 1, 1: 1 });
    expect(measure('ces', { invitations: 10, answers }, 5)).toMatchObject({
      score: 4.6,
      marginOfError: 2.29,
      interval: { low: 2.31, high: 6.89 },
      easyShare: 60,
      responseRate: 50,
      counts: { easy: 3, neutral: 0, difficult: 2 },
      significant: true,
    });
  });
});

describe('summarize', () => {
  it('measures each group and the total from the summed counts, the missing value last', () => {
    const result = summarize(
      'nps',
      [
        { group: null, invitations: 2, answers: counts([0, 10], { 0: 1 }) },
        { group: 'support', invitations: 3, answers: counts([0, 10], { 10: 2 }) },
        { group: 'billing', invitations: 5, answers: counts([0, 10], { 10: 1, 8: 1 }) },
      ],
      1,
    );
    expect(result.groups.map((g) => [g.group, g.score, g.n])).toEqual([
      ['billing', 50, 2],
      ['support', 100, 2],
      [null, -100, 1],
    ]);
    // total: P = 3, D = 1, n = 5 → 100·2/5 = 40; 5/10 invitations = 50%
    expect(result.total).toMatchObject({ score: 40, n: 5, invitations: 10, responseRate: 50 });
  });
});

describe('MetricsQuery and resolveWindow', () => {
  const now = new Date('2026-03-15T12:00:00Z');

  it('defaults to the 30 days before now', () => {
    expect(resolveWindow('nps', MetricsQuery.parse({}), now)).toEqual({
      kind: 'nps',
      journey: null,
      since: '2026-02-13T12:00:00.000Z',
      until: '2026-03-15T12:00:00.000Z',
      by: null,
      minN: 30,
    });
  });

  it('reads dates as UTC midnight and datetimes with their zone', () => {
    const window = resolveWindow(
      'csat',
      MetricsQuery.parse({ since: '2026-01-01', until: '2026-02-01T01:00:00+02:00', minN: '5', by: 'team' }),
      now,
    );
    expect(window).toMatchObject({
      since: '2026-01-01T00:00:00.000Z',
      until: '2026-01-31T23:00:00.000Z',
      minN: 5,
      by: 'team',
    });
  });

  it('rejects bad dates, a local time without zone, since not before until, and unknown parameters', () => {
    expect(MetricsQuery.safeParse({ since: '2026-13-01' }).success).toBe(false);
    expect(MetricsQuery.safeParse({ since: '2026-01-01T08:00:00' }).success).toBe(false);
    expect(MetricsQuery.safeParse({ minN: '0' }).success).toBe(false);
    expect(MetricsQuery.safeParse({ team: 'x' }).success).toBe(false);
    expect(() => resolveWindow('nps', MetricsQuery.parse({ since: '2026-02-01', until: '2026-02-01' }), now)).toThrow(
      /since \(2026-02-01T00:00:00.000Z\) must be before until/,
    );
  });
});
