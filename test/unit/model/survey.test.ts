import { classifyNps, scaleScores, SURVEY_SCALES, SurveyAnswer } from '../../../model/survey';

describe('classifyNps', () => {
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
    expect(() => classifyNps(score)).toThrow(/whole number from 0 to 10/);
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
    const issues = SurveyAnswer.safeParse({ invitationId: 'inv', kind: 'csat', score: 4.5, comment: 'x'.repeat(5001) })
      .error?.issues;
    expect(issues?.map((i) => i.path[0]).sort()).toEqual(['comment', 'kind', 'score']);
  });
});
