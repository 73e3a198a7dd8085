import { ConfigError, parseEnvConfig } from '../../../client/config';
import { milestoneRulesOf } from '../../../client/milestones';
import { DEFAULT_MILESTONE_RULES } from '../../../model/milestone';

describe('milestone rules from the environment', () => {
  it('defaults to the 5th order, 1000 EUR lifetime value and a 7-day anniversary grace', () => {
    expect(milestoneRulesOf(parseEnvConfig({}))).toEqual(DEFAULT_MILESTONE_RULES);
    expect(DEFAULT_MILESTONE_RULES).toEqual({
      orderCounts: [5],
      lifetimeValues: [{ currency: 'EUR', amount: 1000 }],
      anniversaryGraceDays: 7,
    });
  });

  it('takes MILESTONE_ORDER_COUNTS, MILESTONE_LIFETIME_VALUES (or off) and MILESTONE_ANNIVERSARY_GRACE_DAYS', () => {
    const config = parseEnvConfig({
      MILESTONE_ORDER_COUNTS: '5,10,25',
      MILESTONE_LIFETIME_VALUES: 'off',
      MILESTONE_ANNIVERSARY_GRACE_DAYS: '3',
    });
    expect(milestoneRulesOf(config)).toEqual({ orderCounts: [5, 10, 25], lifetimeValues: [], anniversaryGraceDays: 3 });
  });

  it('a bad value stops start-up naming the variable and how to write it', () => {
    let error: unknown;
    try {
      parseEnvConfig({ MILESTONE_ORDER_COUNTS: 'five', MILESTONE_LIFETIME_VALUES: '1000 EUR' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      {
        variable: 'MILESTONE_ORDER_COUNTS',
        message: '"five" is not an order count; write whole numbers from 1, e.g. 5,10 (or off)',
      },
      {
        variable: 'MILESTONE_LIFETIME_VALUES',
        message: '"1000 EUR" is not a threshold; write CURRENCY:AMOUNT pairs, e.g. EUR:1000,USD:1200 (or off)',
      },
    ]);
  });
});
