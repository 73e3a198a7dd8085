import type { Touchpoint } from '../../client/app';
import type { WinbackGroupMetric, WinbackMetric, WinbackWindow } from '../../model/metrics';
import { touchpointCli } from '../support/cli';
import { startTestTouchpoint } from '../support/touchpoint';

/**
 * The win-back lift over the HTTP API and the CLI, from a fixture of run outcomes inserted with plain SQL.
 * The expected figures are computed by hand in the comments (formulas: docs/metrics.md).
 */

type Report = WinbackWindow & { groups: WinbackGroupMetric[]; total: WinbackMetric };

interface Block {
  journey?: string;
  period: string;
  holdout: boolean;
  endedBy: 'goal' | 'exit' | 'unsubscribed' | null;
  startedAt: string;
  runs: number;
}

// January: treated 90 of 450 won back, holdout 5 of 50; February: treated 90 of 450, holdout 3 of 50.
// Runs not won back ended every other way (end of the sequence, an exit, an unsubscribe).
const FIXTURE: Block[] = [
  { period: '2026-01', holdout: false, endedBy: 'goal', startedAt: '2026-01-01T00:00:00Z', runs: 90 },
  { period: '2026-01', holdout: false, endedBy: null, startedAt: '2026-01-02T03:00:00Z', runs: 300 },
  { period: '2026-01', holdout: false, endedBy: 'unsubscribed', startedAt: '2026-01-02T03:00:00Z', runs: 60 },
  { period: '2026-01', holdout: true, endedBy: 'goal', startedAt: '2026-01-03T00:00:00Z', runs: 5 },
  { period: '2026-01', holdout: true, endedBy: null, startedAt: '2026-01-03T00:00:00Z', runs: 45 },
  { period: '2026-02', holdout: false, endedBy: 'goal', startedAt: '2026-02-01T10:00:00Z', runs: 90 },
  { period: '2026-02', holdout: false, endedBy: 'exit', startedAt: '2026-02-01T10:00:00Z', runs: 360 },
  { period: '2026-02', holdout: true, endedBy: 'goal', startedAt: '2026-02-28T23:59:59Z', runs: 3 },
  { period: '2026-02', holdout: true, endedBy: null, startedAt: '2026-02-02T00:00:00Z', runs: 47 },
  // outside the window [2026-01-01, 2026-03-01): just before it, exactly at its end; and another journey
  { period: '2025-12', holdout: false, endedBy: 'goal', startedAt: '2025-12-31T23:59:59Z', runs: 20 },
  { period: '2026-03', holdout: true, endedBy: 'goal', startedAt: '2026-03-01T00:00:00Z', runs: 20 },
  {
    journey: 'win-back-vip',
    period: '2026-01',
    holdout: true,
    endedBy: 'goal',
    startedAt: '2026-01-05T00:00:00Z',
    runs: 30,
  },
];

describe('win-back metrics', () => {
  let touchpoint: Touchpoint;

  beforeAll(async () => {
    touchpoint = await startTestTouchpoint();
    for (const [index, block] of FIXTURE.entries()) {
      const journey = block.journey ?? 'win-back';
      await touchpoint.stores.db.query(
        `INSERT INTO run_outcomes (workflow_id, journey_id, journey_version, customer_id, run_key, outcome, ended_by,
           holdout, started_at, ended_at)
         SELECT $1 || '/b' || $2::text || '-c' || i || '/' || $3, $1, 1, 'b' || $2::text || '-c' || i, $3,
                CASE WHEN $4::text = 'goal' THEN 'won-back' ELSE 'lost' END, $4, $5, $6::timestamptz,
                $6::timestamptz + interval '7 days'
           FROM generate_series(1, $7::integer) AS i`,
        [journey, index, block.period, block.endedBy, block.holdout, block.startedAt, block.runs],
      );
    }
  });
  afterAll(() => touchpoint?.stop());

  // Total: treated 180 of 900 = 20%, holdout 8 of 100 = 8%; lift 12 pp.
  // Wald (both arms n ≥ 30, ≥ 5 won and not won): 1.96·√(0.2·0.8/900 + 0.08·0.92/100) = 1.96·√0.000913778
  // = 0.0592484 → [6.08, 17.92] pp; relative 0.20/0.08 − 1 = 150%. Significant: the interval excludes 0.
  const TOTAL: WinbackMetric = {
    treated: { runs: 900, wonBack: 180, rate: 20 },
    holdout: { runs: 100, wonBack: 8, rate: 8 },
    lift: { points: 12, interval: { low: 6.08, high: 17.92 }, method: 'wald', relative: 150 },
    enoughRuns: true,
    significant: true,
  };

  it('GET /v1/metrics/winback: rates, lift and interval equal the hand computation', async () => {
    const response = await fetch(`${touchpoint.url}/v1/metrics/winback?since=2026-01-01&until=2026-03-01`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      journey: 'win-back',
      since: '2026-01-01T00:00:00.000Z',
      until: '2026-03-01T00:00:00.000Z',
      by: null,
      minN: 30,
      groups: [],
      total: TOTAL,
    });
  });

  it('by period: January by Wald, February (3 won in the holdout) by Newcombe', async () => {
    const response = await fetch(`${touchpoint.url}/v1/metrics/winback?since=2026-01-01&until=2026-03-01&by=period`);
    const report = (await response.json()) as Report;
    expect(report.groups.map((g) => g.group)).toEqual(['2026-01', '2026-02']);
    // January: 90/450 = 20%, 5/50 = 10%, lift 10 pp; Wald 1.96·√(0.2·0.8/450 + 0.1·0.9/50) = 1.96·√0.002155556
    // = 0.0909988 → [0.90, 19.10]; relative 0.2/0.1 − 1 = 100%
    expect(report.groups[0]).toEqual({
      group: '2026-01',
      treated: { runs: 450, wonBack: 90, rate: 20 },
      holdout: { runs: 50, wonBack: 5, rate: 10 },
      lift: { points: 10, interval: { low: 0.9, high: 19.1 }, method: 'wald', relative: 100 },
      enoughRuns: true,
      significant: true,
    });
    // February: 90/450 = 20%, 3/50 = 6%, lift 14 pp, relative 0.2/0.06 − 1 = 233.33%; fewer than 5 won
    // back in the holdout, so the interval is Newcombe's
    expect(report.groups[1]).toMatchObject({
      group: '2026-02',
      treated: { runs: 450, wonBack: 90, rate: 20 },
      holdout: { runs: 50, wonBack: 3, rate: 6 },
      // (Newcombe's formula is checked against his published table in the unit tests)
      lift: { points: 14, interval: { low: 3.22, high: 19.57 }, method: 'newcombe', relative: 233.33 },
    });
    expect(report.total).toEqual(TOTAL);
  });

  it('no runs in the window: no rates, no lift', async () => {
    const response = await fetch(`${touchpoint.url}/v1/metrics/winback?since=2027-01-01&until=2027-02-01`);
    expect(((await response.json()) as Report).total).toEqual({
      treated: { runs: 0, wonBack: 0, rate: null },
      holdout: { runs: 0, wonBack: 0, rate: null },
      lift: null,
      enoughRuns: false,
      significant: false,
      reason: 'no completed runs',
    });
    const bad = await fetch(`${touchpoint.url}/v1/metrics/winback?by=team`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ problems: [{ path: 'by' }] });
  });

  it('touchpoint metrics winback prints the same figures', async () => {
    const cli = (...args: string[]) => touchpointCli(args, touchpoint.url);
    const table = await cli('metrics', 'winback', '--since', '2026-01-01', '--until', '2026-03-01', '--by', 'period');
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'Win-back of journey win-back, runs started 2026-01-01T00:00:00.000Z to 2026-03-01T00:00:00.000Z ' +
        '(until excluded), by period; won back = ended by the goal (an order)',
    );
    expect(lines[2]).toMatch(
      /^GROUP\s+TREATED WON\/RUNS\s+RATE\s+HOLDOUT WON\/RUNS\s+RATE\s+LIFT \[95% INTERVAL\]\s+RELATIVE$/,
    );
    expect(lines[3]).toMatch(
      /^2026-01\s+90\/450\s+20\.00%\s+5\/50\s+10\.00%\s+\+10\.00 pp \[\+0\.90, \+19\.10\]\s+\+100\.00%\s+significant$/,
    );
    expect(lines[4]).toMatch(
      /^2026-02\s+90\/450\s+20\.00%\s+3\/50\s+6\.00%\s+\+14\.00 pp .*\+233\.33%.*Newcombe's interval$/,
    );
    expect(lines[5]).toMatch(
      /^TOTAL\s+180\/900\s+20\.00%\s+8\/100\s+8\.00%\s+\+12\.00 pp \[\+6\.08, \+17\.92\]\s+\+150\.00%\s+significant$/,
    );

    const json = await cli('metrics', 'winback', '--since', '2026-01-01', '--until', '2026-03-01', '--json');
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as Report).total).toEqual(TOTAL);
  });
});
