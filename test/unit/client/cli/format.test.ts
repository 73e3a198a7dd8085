import { formatRunDetail, formatRunList } from '../../../../client/cli/format';
import type { RunDetail, RunSummary } from '../../../../client/runs';

const runs: RunSummary[] = [
  {
    workflowId: 'survey-after-contact/anna/T-42',
    runId: 'r1',
    status: 'running',
    step: 'await-answer',
    startedAt: '2024-05-01T10:00:00.123Z',
  },
  {
    workflowId: 'welcome/bob',
    runId: 'r2',
    status: 'completed',
    startedAt: '2024-05-01T09:00:00Z',
    closedAt: '2024-05-01T09:00:01.5Z',
  },
];

describe('formatRunList', () => {
  it('says so when no run matches', () => {
    expect(formatRunList([])).toBe('No runs match.');
  });

  it('prints a header and one aligned row per run', () => {
    expect(formatRunList(runs).split('\n')).toEqual([
      'WORKFLOW ID                     STATUS     STEP          STARTED               CLOSED',
      'survey-after-contact/anna/T-42  running    await-answer  2024-05-01 10:00:00Z',
      'welcome/bob                     completed                2024-05-01 09:00:00Z  2024-05-01 09:00:01Z',
    ]);
  });

  it('starts every column at the same offset on every line', () => {
    const lines = formatRunList(runs).split('\n');
    for (const header of ['STATUS', 'STEP', 'STARTED']) {
      const column = lines[0].indexOf(header);
      // Each data cell starts right after at least two spaces, at the header's column.
      for (const line of lines.slice(1)) expect(line.slice(column - 2, column)).toBe('  ');
    }
    expect(lines[1].indexOf('running')).toBe(lines[0].indexOf('STATUS'));
    expect(lines[2].indexOf('completed')).toBe(lines[0].indexOf('STATUS'));
    expect(lines[1].indexOf('2024')).toBe(lines[0].indexOf('STARTED'));
  });

  it('leaves no trailing spaces', () => {
    for (const line of formatRunList(runs).split('\n')) expect(line).toBe(line.trimEnd());
  });
});

describe('formatRunDetail', () => {
  const detail: RunDetail = {
    workflowId: 'survey-after-contact/anna/T-42',
    runId: 'r1',
    journeyId: 'survey-after-contact',
    customerId: 'anna',
    status: 'completed',
    step: 'answered',
    startedAt: '2024-05-01T10:00:00Z',
    closedAt: '2024-05-01T11:00:00Z',
    state: {
      journeyId: 'survey-after-contact',
      journeyVersion: 3,
      customerId: 'anna',
      key: 'T-42',
      data: {},
      outcome: 'answered',
      answer: { score: 9, kind: 'nps', class: 'promoter', at: '2024-05-01T11:00:00Z' },
      timeline: [
        { at: '2024-05-01T10:00:00.000Z', kind: 'started', detail: 'journey survey-after-contact v3' },
        { at: '2024-05-01T10:00:01.250Z', step: 'invite', kind: 'sent', detail: 'nps-invitation to anna@example.com' },
        { at: '2024-05-01T11:00:00Z', step: 'answered', kind: 'completed', detail: 'outcome answered' },
      ],
    },
  };

  it('shows the run, its journey and version, customer, status with outcome, answer and timeline', () => {
    expect(formatRunDetail(detail)).toBe(
      [
        'Run       survey-after-contact/anna/T-42',
        'Journey   survey-after-contact v3',
        'Customer  anna',
        'Status    completed (answered)',
        'Answer    9 (promoter)',
        '',
        'Timeline',
        '  2024-05-01 10:00:00Z  started    journey survey-after-contact v3',
        '  2024-05-01 10:00:01Z  sent       [invite] nps-invitation to anna@example.com',
        '  2024-05-01 11:00:00Z  completed  [answered] outcome answered',
      ].join('\n'),
    );
  });

  it('prints one timeline line per entry', () => {
    const lines = formatRunDetail(detail).split('\n');
    const timeline = lines.slice(lines.indexOf('Timeline') + 1);
    expect(timeline).toHaveLength(detail.state!.timeline.length);
  });

  it('shows the current step of a running run, and no answer line before an answer', () => {
    const running: RunDetail = {
      ...detail,
      status: 'running',
      step: 'await-answer',
      closedAt: undefined,
      state: { ...detail.state!, outcome: undefined, answer: undefined, timeline: [] },
    };
    const text = formatRunDetail(running);
    expect(text).toContain('Status    running, at step await-answer');
    expect(text).not.toContain('Answer');
    expect(text.endsWith('Timeline')).toBe(true);
  });

  it('shows the failure, and "?" for what is unknown without a state', () => {
    const failed: RunDetail = {
      workflowId: 'x/y',
      runId: 'r',
      status: 'failed',
      step: 'invite',
      startedAt: '2024-05-01T10:00:00Z',
      failure: 'template "nps-invitation": boom',
    };
    expect(formatRunDetail(failed)).toBe(
      [
        'Run       x/y',
        'Journey   ?',
        'Customer  ?',
        'Status    failed',
        'Failure   template "nps-invitation": boom',
      ].join('\n'),
    );
  });
});
