import { classifyAnswer, scaleScores, SURVEY_SCALES, SurveyAnswer } from '../../../model/survey';

const classifyNps = (score: number) => classifyAnswer('nps', score);

describe('classifyAnswer (NPS)', () => {
  it.each([
    [0, 'detractor'],
    [6, 'detractor'],
    [7, 'passive'],
    [8, 'passive'],
    [9, 'promoter'],
    [10, 'promoter'],
  ])('classifies %d as %s', (score, expected) => {
    expect(classifyNps(score)).toBe(expected);
  });

  it('classifies every score of the scale', () => {
    expect(scaleScores('nps').map(classifyNps)).toEqual([
      ...Array(7).fill('detractor'),
      'passive',
      'passive',
      'promoter',
      'promoter',
    ]);
  });

  it.each([-1, 11, 6.5, 9.99, Number.NaN, Number.POSITIVE_INFINITY])('throws a RangeError for %p', (score) => {
    expect(() => classifyNps(score)).toThrow(RangeError);
    expect(() => classifyNps(score)).toThrow(/An NPS score is a whole number from 0 to 10/);
  });
});

describe('scaleScores', () => {
  it("is 0..10 for 'nps', matching SURVEY_SCALES", () => {
    expect(scaleScores('nps')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(SURVEY_SCALES.nps).toEqual({ min: 0, max: 10 });
  });
});

describe('SurveyAnswer', () => {
  it('accepts an answer with an optional comment', () => {
    const answer = { invitationId: 'inv', kind: 'nps', score: 9, comment: 'great' };
    expect(SurveyAnswer.parse(answer)).toEqual(answer);
  });

  it('rejects an unknown survey kind, a fractional score and an overlong comment', () => {
    const issues = SurveyAnswer.safeParse({ invitationId: 'inv', kind: 'sus', score: 4.5, comment: 'x'.repeat(5001) })
      .error?.issues;
    expect(issues?.map((i) => i.path[0]).sort()).toEqual(['comment', 'kind', 'score']);
  });
});

describe('classifyAnswer (CSAT and CES) and thresholds', () => {
  it('CSAT 1–2 detractor, 3 passive, 4–5 promoter', () => {
    expect(scaleScores('csat').map((s) => classifyAnswer('csat', s))).toEqual([
      'detractor',
      'detractor',
      'passive',
      'promoter',
      'promoter',
    ]);
  });

  it('CES 1–3 detractor, 4 passive, 5–7 promoter', () => {
    expect(scaleScores('ces').map((s) => classifyAnswer('ces', s))).toEqual([
      'detractor',
      'detractor',
      'detractor',
      'passive',
      'promoter',
      'promoter',
      'promoter',
    ]);
  });

  it("takes a journey's own thresholds", () => {
    expect(classifyAnswer('nps', 7, { detractorAtMost: 7, promoterAtLeast: 10 })).toBe('detractor');
    expect(classifyAnswer('nps', 9, { detractorAtMost: 7, promoterAtLeast: 10 })).toBe('passive');
  });

  it('refuses a score off the scale, naming the scale', () => {
    expect(() => classifyAnswer('csat', 0)).toThrow('A CSAT score is a whole number from 1 to 5, got 0');
    expect(() => classifyAnswer('ces', 8)).toThrow(/from 1 to 7/);
  });
});
