import { churnSettingsOf, parseEnvConfig } from '../../../client/config';
import { configError } from '../../support/config';
import { DEFAULT_CHURN_SETTINGS } from '../../../model/churn';

describe('churn scoring configuration', () => {
  it('unset: the defaults, parameters fitted', () => {
    expect(churnSettingsOf(parseEnvConfig({}))).toEqual(DEFAULT_CHURN_SETTINGS);
    expect(DEFAULT_CHURN_SETTINGS).toEqual({
      margin: 0.3,
      discountRate: 0.1,
      clvYears: 3,
      gapMultiple: 3,
      fallbackGapDays: 90,
    });
  });

  it('reads every variable', () => {
    const settings = churnSettingsOf(
      parseEnvConfig({
        CHURN_BGNBD_PARAMS: '0.243, 4.414,0.793,2.426',
        CHURN_MARGIN: '0.45',
        CHURN_DISCOUNT_RATE: '0.08',
        CHURN_CLV_YEARS: '5',
        CHURN_GAP_MULTIPLE: '2.5',
      }),
    );
    expect(settings).toEqual({
      bgNbdParams: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      margin: 0.45,
      discountRate: 0.08,
      clvYears: 5,
      gapMultiple: 2.5,
      fallbackGapDays: 90,
    });
  });

  it('names the variable and the expected form when one is wrong', () => {
    const params = 'must be four positive numbers "r,alpha,a,b"';
    for (const bad of ['0.2,4,0.8', '0.2,4,0.8,x', '0.2,-4,0.8,2', '0.2,4,0.8,500']) {
      expect(configError({ CHURN_BGNBD_PARAMS: bad }).problems).toEqual([
        { variable: 'CHURN_BGNBD_PARAMS', message: expect.stringContaining(params) },
      ]);
    }
    expect(configError({ CHURN_MARGIN: '30%' }).problems).toEqual([
      { variable: 'CHURN_MARGIN', message: 'must be a number from 0 to 1, e.g. 0.3' },
    ]);
    expect(configError({ CHURN_GAP_MULTIPLE: '1' }).problems).toEqual([
      { variable: 'CHURN_GAP_MULTIPLE', message: 'must be a number above 1 and at most 20, e.g. 3' },
    ]);
    expect(configError({ CHURN_CLV_YEARS: '0' }).problems).toEqual([
      { variable: 'CHURN_CLV_YEARS', message: 'must be a whole number from 1 to 10' },
    ]);
  });
});
