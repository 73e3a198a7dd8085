import type { Touchpoint } from '../../client/app';
import type { GroupMetric, Metric, MetricsWindow } from '../../model/metrics';
import type { Problem } from '../../model/validation';
import { touchpointCli } from '../support/cli';
import { startTestTouchpoint } from '../support/touchpoint';

/**
 * NPS, CSAT and CES over the HTTP API and the CLI against a fixture of 355 answers inserted with plain SQL.
 * Every expected figure is written out literally and derived by hand in the comments from the fixture's
 * counts (formulas: docs/metrics.md), not computed by the code under test.
 */

const J1 = 'survey-after-contact';
const J2 = 'onboarding';
const SCALES = { nps: [0, 10], csat: [1, 5], ces: [1, 7] } as const;

interface Block {
  journey: string;
  kind: 'nps' | 'csat' | 'ces';
  segment: Record<string, string>;
  createdAt: string;
  /** score → how many answered with it */
  answers: Record<number, number>;
  /** invitations nobody answered */
  unanswered: number;
}

const FIXTURE: Record<string, Block> = {
  // NPS, January 2026.
  // P = 20 + 10 = 30, passives 10 + 5 = 15, D = 5 + 5 + 5 = 15; n = 60 of 100 invitations
  npsJ1Billing: {
    journey: J1,
    kind: 'nps',
    segment: { team: 'billing', tier: 'gold' },
    createdAt: '2026-01-05T10:00:00Z',
    answers: { 10: 20, 9: 10, 8: 10, 7: 5, 6: 5, 3: 5, 0: 5 },
    unanswered: 40,
  },
  // P = 25 + 15 = 40, passives 10, D = 10; n = 60 of 80
  npsJ1Support: {
    journey: J1,
    kind: 'nps',
    segment: { team: 'support' },
    createdAt: '2026-01-20T09:00:00Z',
    answers: { 10: 25, 9: 15, 8: 10, 5: 10 },
    unanswered: 20,
  },
  // P = 4, passives 3, D = 3; n = 10 of 20 (small: adjusted Wald, not significant). Exactly at 10 January.
  npsJ1Sales: {
    journey: J1,
    kind: 'nps',
    segment: { team: 'sales' },
    createdAt: '2026-01-10T00:00:00Z',
    answers: { 10: 4, 7: 3, 2: 3 },
    unanswered: 10,
  },
  // P = 20, passives 20, D = 20; n = 60 of 60
  npsJ2Billing: {
    journey: J2,
    kind: 'nps',
    segment: { team: 'billing' },
    createdAt: '2026-01-15T12:00:00Z',
    answers: { 9: 20, 7: 20, 4: 20 },
    unanswered: 0,
  },
  // no team in the segment → the "(none)" group: P = 2, D = 1; n = 3 of 5
  npsJ1NoTeam: {
    journey: J1,
    kind: 'nps',
    segment: { tier: 'silver' },
    createdAt: '2026-01-25T18:30:00Z',
    answers: { 10: 2, 1: 1 },
    unanswered: 2,
  },
  // NPS outside January: before it (30 detractors), and exactly at 1 February (until is excluded)
  npsDecember: {
    journey: J1,
    kind: 'nps',
    segment: { team: 'billing' },
    createdAt: '2025-12-20T10:00:00Z',
    answers: { 0: 30 },
    unanswered: 10,
  },
  npsFebruary: {
    journey: J1,
    kind: 'nps',
    segment: { team: 'support' },
    createdAt: '2026-02-01T00:00:00Z',
    answers: { 10: 20 },
    unanswered: 0,
  },
  // CSAT, January: satisfied (4–5) 30 + 20 = 50, neutral 10, dissatisfied 10; n = 70 of 100
  csatJ1Billing: {
    journey: J1,
    kind: 'csat',
    segment: { team: 'billing' },
    createdAt: '2026-01-07T08:00:00Z',
    answers: { 5: 30, 4: 20, 3: 10, 2: 5, 1: 5 },
    unanswered: 30,
  },
  // satisfied 10 + 10 = 20, neutral 5, dissatisfied 5; n = 30 of 40
  csatJ1Support: {
    journey: J1,
    kind: 'csat',
    segment: { team: 'support' },
    createdAt: '2026-01-12T08:00:00Z',
    answers: { 5: 10, 4: 10, 3: 5, 1: 5 },
    unanswered: 10,
  },
  // CES, January: 7×4, 6×3, 5×2, 4×1, 2×2; n = 12 of 20
  cesJ2Sales: {
    journey: J2,
    kind: 'ces',
    segment: { team: 'sales' },
    createdAt: '2026-01-08T08:00:00Z',
    answers: { 7: 4, 6: 3, 5: 2, 4: 1, 2: 2 },
    unanswered: 8,
  },
};

async function insertFixture(touchpoint: Touchpoint): Promise<number> {
  const { db } = touchpoint.stores;
  let answers = 0;
  for (const [name, block] of Object.entries(FIXTURE)) {
    const scores = Object.entries(block.answers).flatMap(([score, count]) => Array(count).fill(Number(score)));
    const total = scores.length + block.unanswered;
    for (let i = 0; i < total; i++) {
      const id = `${name}-${i}`;
      const customer = `c-${name}-${i}`;
      const workflowId = `${block.journey}/${customer}/${i}`;
      await db.query(
        `INSERT INTO survey_invitations (id, workflow_id, journey_id, customer_id, kind, locale, expires_at, created_at, segment)
         VALUES ($1, $2, $3, $4, $5, 'en', $6::timestamptz + interval '3 days', $6, $7)`,
        [id, workflowId, block.journey, customer, block.kind, block.createdAt, JSON.stringify(block.segment)],
      );
      if (i >= scores.length) continue;
      const [min, max] = SCALES[block.kind];
      // the stored class is the journey's; metrics classify by the standard definitions anyway
      await db.query(
        `INSERT INTO survey_responses (invitation_id, workflow_id, journey_id, customer_id, kind, scale_min, scale_max,
                                       score, class, segment, answered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'passive', $9, $10::timestamptz + interval '1 hour')`,
        [
          id,
          workflowId,
          block.journey,
          customer,
          block.kind,
          min,
          max,
          scores[i],
          JSON.stringify(block.segment),
          block.createdAt,
        ],
      );
      answers++;
    }
  }
  return answers;
}

/** What GET /v1/metrics/:kind answers: the report, or a problem. */
type MetricsBody = MetricsWindow & { groups: GroupMetric[]; total: Metric; error?: string; problems: Problem[] };

const JANUARY = 'since=2026-01-01&until=2026-02-01';

describe('survey metrics', () => {
  let touchpoint: Touchpoint;
  const get = async (pathAndQuery: string) => {
    const response = await fetch(`${touchpoint.url}${pathAndQuery}`);
    return { status: response.status, body: (await response.json()) as MetricsBody };
  };
  const cli = (...args: string[]) => touchpointCli(args, touchpoint.url);

  beforeAll(async () => {
    touchpoint = await startTestTouchpoint();
    // 60+60+10+60+3+30+20 NPS + 70+30 CSAT + 12 CES
    expect(await insertFixture(touchpoint)).toBe(355);
  });
  afterAll(() => touchpoint?.stop());

  it('gives NPS by team for January across journeys, with margins, response rates and the small-n flag', async () => {
    const { status, body } = await get(`/v1/metrics/nps?${JANUARY}&by=team`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      kind: 'nps',
      journey: null,
      since: '2026-01-01T00:00:00.000Z',
      until: '2026-02-01T00:00:00.000Z',
      by: 'team',
      minN: 30,
    });
    // December's and 1 February's invitations are outside [since, until); CSAT/CES answers are another kind.
    expect(body.groups).toEqual([
      {
        // J1 + J2 billing: P = 30 + 20 = 50, passives 15 + 20 = 35, D = 15 + 20 = 35, n = 120, invitations 160
        // NPS = 100·(50 − 35)/120 = 12.5; p = .416667, d = .291667: p + d − (p − d)² = .708333 − .015625
        // = .692708; /120 = .00577257; √ = .0759775; × 196 = 14.8916 → 14.9; interval 12.5 ∓ 14.89 = [−2.4, 27.4]
        // response rate 120/160 = 75%
        group: 'billing',
        score: 12.5,
        n: 120,
        invitations: 160,
        responseRate: 75,
        marginOfError: 14.9,
        interval: { low: -2.4, high: 27.4 },
        method: 'wald',
        significant: true,
        counts: { promoters: 50, passives: 35, detractors: 35 },
        distribution: { '0': 5, '3': 5, '4': 20, '6': 5, '7': 25, '8': 10, '9': 30, '10': 20 },
        excluded: 0,
      },
      {
        // P = 4, passives 3, D = 3, n = 10 of 20: NPS = 100·1/10 = 10; response rate 50%
        // adjusted Wald: P' = 4.75, D' = 3.75, n' = 13; p = .365385, d = .288462; p + d = .653846,
        // (p − d)² = .005917 → .647929/13 = .0498407; √ = .223250; × 196 = 43.757 → 43.8
        // centre 100·(p − d) = 7.6923: [−36.0647, 51.4494] → [−36.1, 51.4]
        group: 'sales',
        score: 10,
        n: 10,
        invitations: 20,
        responseRate: 50,
        marginOfError: 43.8,
        interval: { low: -36.1, high: 51.4 },
        method: 'adjusted-wald',
        significant: false,
        reason: 'n = 10 is below the minimum of 30: not significant',
        counts: { promoters: 4, passives: 3, detractors: 3 },
        distribution: { '2': 3, '7': 3, '10': 4 },
        excluded: 0,
      },
      {
        // P = 40, passives 10, D = 10, n = 60 of 80: NPS = 100·30/60 = 50; response rate 75%
        // p = .666667, d = .166667: .833333 − .25 = .583333; /60 = .00972222; √ = .0986013; × 196 = 19.3259
        group: 'support',
        score: 50,
        n: 60,
        invitations: 80,
        responseRate: 75,
        marginOfError: 19.3,
        interval: { low: 30.7, high: 69.3 },
        method: 'wald',
        significant: true,
        counts: { promoters: 40, passives: 10, detractors: 10 },
        distribution: { '5': 10, '8': 10, '9': 15, '10': 25 },
        excluded: 0,
      },
      {
        // no team: P = 2, D = 1, n = 3 of 5: NPS = 100·1/3 = 33.3; response rate 60%
        // adjusted: P' = 2.75, D' = 1.75, n' = 6; p = .458333, d = .291667: .75 − .027778 = .722222; /6 = .120370;
        // √ = .346944; × 196 = 68.0011 → 68.0; centre 16.6667: [−51.3, 84.7]
        group: null,
        score: 33.3,
        n: 3,
        invitations: 5,
        responseRate: 60,
        marginOfError: 68,
        interval: { low: -51.3, high: 84.7 },
        method: 'adjusted-wald',
        significant: false,
        reason: 'n = 3 is below the minimum of 30: not significant',
        counts: { promoters: 2, passives: 0, detractors: 1 },
        distribution: { '1': 1, '10': 2 },
        excluded: 0,
      },
    ]);
    // all: P = 50 + 4 + 40 + 2 = 96, passives 35 + 3 + 10 = 48, D = 35 + 3 + 10 + 1 = 49, n = 193 of 265
    // NPS = 100·47/193 = 24.352 → 24.4; p = .497409, d = .253886: .751295 − .059303 = .691992; /193 = .00358545;
    // √ = .0598786; × 196 = 11.7362 → 11.7; [12.6, 36.1]; response rate 193/265 = 72.83% → 72.8
    expect(body.total).toMatchObject({
      score: 24.4,
      n: 193,
      invitations: 265,
      responseRate: 72.8,
      marginOfError: 11.7,
      interval: { low: 12.6, high: 36.1 },
      significant: true,
      counts: { promoters: 96, passives: 48, detractors: 49 },
    });
  });

  it('filters by journey and by the invitation window [since, until)', async () => {
    // survey-after-contact in January, no grouping: P = 30 + 40 + 4 + 2 = 76, passives 15 + 10 + 3 = 28,
    // D = 15 + 10 + 3 + 1 = 29; n = 133 of 100 + 80 + 20 + 5 = 205 invitations
    // NPS = 100·47/133 = 35.338 → 35.3; p = .571429, d = .218045: .789474 − .124880 = .664594; /133 = .00499695;
    // √ = .0706891; × 196 = 13.8551 → 13.9; response rate 133/205 = 64.88% → 64.9
    const journey = await get(`/v1/metrics/nps?journey=${J1}&${JANUARY}`);
    expect(journey.status).toBe(200);
    expect(journey.body.groups).toEqual([]);
    expect(journey.body.total).toMatchObject({
      score: 35.3,
      n: 133,
      invitations: 205,
      responseRate: 64.9,
      marginOfError: 13.9,
      significant: true,
      counts: { promoters: 76, passives: 28, detractors: 29 },
    });

    // [10 Jan, 20 Jan): sales (exactly 10 Jan 00:00, included) and J2 billing (15 Jan); support (20 Jan) is not.
    // P = 4 + 20 = 24, passives 3 + 20 = 23, D = 3 + 20 = 23, n = 70 of 80: NPS = 100·1/70 = 1.43 → 1.4
    // p = .342857, d = .328571: .671429 − .000204 = .671224; /70 = .00958892; √ = .0979230; × 196 = 19.1929 → 19.2
    const window = await get('/v1/metrics/nps?since=2026-01-10&until=2026-01-20');
    expect(window.body.total).toMatchObject({
      score: 1.4,
      n: 70,
      invitations: 80,
      responseRate: 87.5,
      marginOfError: 19.2,
    });

    // December alone: 30 detractors of 40 invitations → −100; Wald at n = 30: p = 0, d = 1 → 1 − 1 = 0 → ±0
    const december = await get('/v1/metrics/nps?since=2025-12-01&until=2026-01-01T00:00:00Z');
    expect(december.body.total).toMatchObject({
      score: -100,
      n: 30,
      invitations: 40,
      responseRate: 75,
      marginOfError: 0,
    });
  });

  it('gives CSAT (top-2-box) and CES (mean, share of easy answers)', async () => {
    const csat = await get(`/v1/metrics/csat?${JANUARY}&by=team`);
    expect(csat.status).toBe(200);
    expect(csat.body.groups).toMatchObject([
      // 50/70 = 71.43% → 71.4; p(1 − p) = .204082; /70 = .00291545; √ = .0539949; × 196 = 10.583 → 10.6
      {
        group: 'billing',
        score: 71.4,
        n: 70,
        invitations: 100,
        responseRate: 70,
        marginOfError: 10.6,
        method: 'wald',
        counts: { satisfied: 50, neutral: 10, dissatisfied: 10 },
      },
      // 20/30 = 66.67% → 66.7; .222222/30 = .00740741; √ = .0860663; × 196 = 16.869 → 16.9 (n = 30: Wald, significant)
      {
        group: 'support',
        score: 66.7,
        n: 30,
        invitations: 40,
        responseRate: 75,
        marginOfError: 16.9,
        method: 'wald',
        significant: true,
        counts: { satisfied: 20, neutral: 5, dissatisfied: 5 },
      },
    ]);
    // 70/100 = 70%; 1.96·√(.7·.3/100) = 1.96·.0458258 = .0898186 → ±9.0; response rate 100/140 = 71.4%
    expect(csat.body.total).toMatchObject({
      score: 70,
      n: 100,
      invitations: 140,
      responseRate: 71.4,
      marginOfError: 9,
    });

    // CES of onboarding: 7×4 + 6×3 + 5×2 + 4 + 2×2 = 64 over n = 12 → 5.3333 → 5.33
    // squared deviations: 4·(5/3)² + 3·(2/3)² + 2·(1/3)² + (4/3)² + 2·(10/3)² = (100 + 12 + 2 + 16 + 200)/9 = 36.6667;
    // s² = 36.6667/11 = 3.3333, s = 1.825742; × 1.96/√12 = 1.03301 → 1.03; easy (5–7) 9/12 = 75%
    const ces = await get(`/v1/metrics/ces?journey=${J2}&${JANUARY}&minN=10`);
    expect(ces.body.total).toEqual({
      score: 5.33,
      n: 12,
      invitations: 20,
      responseRate: 60,
      marginOfError: 1.03,
      interval: { low: 4.3, high: 6.37 },
      method: 'normal-mean',
      significant: true,
      counts: { easy: 9, neutral: 1, difficult: 2 },
      easyShare: 75,
      distribution: { '2': 2, '4': 1, '5': 2, '6': 3, '7': 4 },
      excluded: 0,
    });
    // with the default minimum of 30 the same twelve answers are flagged
    const flagged = await get(`/v1/metrics/ces?journey=${J2}&${JANUARY}`);
    expect(flagged.body.total).toMatchObject({
      significant: false,
      reason: 'n = 12 is below the minimum of 30: not significant',
    });
  });

  it('reports a window without surveys as no score, and defaults to the last 30 days', async () => {
    const empty = await get('/v1/metrics/nps?since=2024-01-01&until=2024-02-01');
    expect(empty.body.total).toMatchObject({
      score: null,
      n: 0,
      invitations: 0,
      responseRate: null,
      reason: 'no answers',
    });

    const before = Date.now();
    const defaults = await get('/v1/metrics/nps');
    expect(defaults.status).toBe(200);
    const until = Date.parse(defaults.body.until);
    expect(until).toBeGreaterThanOrEqual(before - 1000);
    expect(until - Date.parse(defaults.body.since)).toBe(30 * 24 * 60 * 60 * 1000);
  });

  it('answers 400 with the problem for bad input', async () => {
    const cases: [string, string, RegExp][] = [
      ['/v1/metrics/xps', 'kind', /nps/],
      ['/v1/metrics/nps?since=2026-13-01', 'since', /ISO date/],
      ['/v1/metrics/nps?until=2026-01-31T08:00:00', 'until', /with a zone/],
      ['/v1/metrics/nps?since=2026-02-01&until=2026-01-01', 'since', /must be before until/],
      ['/v1/metrics/nps?minN=0', 'minN', /./],
      ['/v1/metrics/nps?by=', 'by', /./],
      ['/v1/metrics/nps?team=billing', '(root)', /team/],
    ];
    for (const [url, problemPath, message] of cases) {
      const { status, body } = await get(url);
      expect([url, status]).toEqual([url, 400]);
      expect(body.error).toBe('invalid_request');
      expect(body.problems[0].path).toBe(problemPath);
      expect(body.problems[0].message).toMatch(message);
    }
  });

  it('prints the same figures with `touchpoint metrics`', async () => {
    const table = await cli('metrics', 'nps', '--since', '2026-01-01', '--until', '2026-02-01', '--by', 'team');
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toBe(
      'NPS of all journeys, invitations created 2026-01-01T00:00:00.000Z to 2026-02-01T00:00:00.000Z (until excluded), by team',
    );
    expect(lines[2]).toMatch(/^GROUP\s+NPS\s+N\s+INVITATIONS\s+RESPONSE RATE\s+PROMOTERS\/PASSIVES\/DETRACTORS$/);
    expect(lines[3]).toMatch(/^billing\s+\+12\.5 ±14\.9\s+120\s+160\s+75\.0%\s+50\/35\/35$/);
    expect(lines[4]).toMatch(
      /^sales\s+\+10\.0 ±43\.8\s+10\s+20\s+50\.0%\s+4\/3\/3\s+not significant \(n < 30\); adjusted Wald$/,
    );
    expect(lines[5]).toMatch(/^support\s+\+50\.0 ±19\.3\s+60\s+80\s+75\.0%\s+40\/10\/10$/);
    expect(lines[6]).toMatch(/^\(none\)\s+\+33\.3 ±68\.0\s+3\s+5\s+60\.0%\s+2\/0\/1\s+not significant/);
    expect(lines[7]).toMatch(/^TOTAL\s+\+24\.4 ±11\.7\s+193\s+265\s+72\.8%\s+96\/48\/49$/);

    const csat = await cli('metrics', 'csat', '--journey', J1, '--since', '2026-01-01', '--until', '2026-02-01');
    expect(csat.stdout).toMatch(/^ALL\s+70\.0% ±9\.0\s+100\s+140\s+71\.4%\s+70\/15\/15$/m);

    const ces = await cli(
      'metrics',
      'ces',
      '--since',
      '2026-01-01',
      '--until',
      '2026-02-01',
      '--min-n',
      '10',
      '--json',
    );
    expect(ces.code).toBe(0);
    expect(JSON.parse(ces.stdout).total).toMatchObject({
      score: 5.33,
      marginOfError: 1.03,
      easyShare: 75,
      significant: true,
    });
  });

  it('exits 2 with the problem on bad input', async () => {
    const badDate = await cli('metrics', 'nps', '--since', 'last week');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('since: expected an ISO date');

    const badKind = await cli('metrics', 'xps');
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toMatch(/'xps' is invalid for argument 'kind'. Allowed choices are nps, csat, ces/);
  });
});
