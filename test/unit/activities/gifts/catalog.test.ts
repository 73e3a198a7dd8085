import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GiftCatalogError, loadGiftCatalog, parseGiftCatalog } from '../../../../activities/gifts/catalog';
import { chooseGift } from '../../../../model/gift';

const problemsOf = (load: () => unknown) => {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(GiftCatalogError);
    return (error as GiftCatalogError).problems;
  }
  throw new Error('the catalog was accepted');
};

describe('the gift catalog file', () => {
  it('loads the built-in catalog: a thank-you campaign with a DACH gift box and EUR/USD vouchers', () => {
    const catalog = loadGiftCatalog();
    expect(catalog.campaigns.map((c) => c.id)).toEqual(['thank-you']);
    expect(catalog.products.map((p) => `${p.id} ${p.kind} ${p.currency}`)).toEqual([
      'gift-box-dach physical EUR',
      'voucher-eur digital EUR',
      'voucher-usd digital USD',
    ]);
    const pick = (locale: string, attributes: Record<string, unknown>) => {
      const choice = chooseGift(catalog, 'thank-you', { locale, attributes });
      return choice.ok ? choice.product.id : choice.reason.message;
    };
    expect(pick('de-CH', { tier: 'platinum' })).toBe('gift-box-dach');
    expect(pick('de-DE', { tier: 'gold' })).toBe('voucher-eur');
    expect(pick('en-US', { tier: 'platinum' })).toBe('voucher-usd');
  });

  it('names the file, the line and the YAML path of every problem', () => {
    const source = [
      'campaigns:',
      '  - id: thank-you',
      '    budget: { amount: -5, currency: euro, period: month }',
      '    products: [box]',
      'products:',
      '  - id: voucher',
      '    kind: digital',
      '    name: { en: Voucher }',
      '    value: 25',
      '    currency: EUR',
      '    cost: 25',
      '    rules: { tier: [gold] }',
    ].join('\n');
    const problems = problemsOf(() => parseGiftCatalog(source, 'catalog.yaml'));
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          file: 'catalog.yaml',
          line: 3,
          path: 'campaigns.0.budget.amount',
          message: expect.stringMatching(/>0|positive/),
        },
        {
          file: 'catalog.yaml',
          line: 3,
          path: 'campaigns.0.budget.currency',
          message: 'must be an ISO 4217 code such as EUR',
        },
        {
          file: 'catalog.yaml',
          line: 4,
          path: 'campaigns.0.products.0',
          message: 'refers to product "box", which the catalog does not have; known: voucher',
        },
        { file: 'catalog.yaml', line: 12, path: 'products.0.rules', message: expect.stringContaining('"tier"') },
      ]),
    );
    expect(problems).toHaveLength(4);
    expect(() => parseGiftCatalog(source, 'catalog.yaml')).toThrow(/catalog\.yaml:4 campaigns\.0\.products\.0/);
  });

  it('reports broken YAML with its line, and a file that cannot be read', () => {
    expect(problemsOf(() => parseGiftCatalog('campaigns:\n  - id: x\n   budget: 5\n', 'broken.yaml'))).toEqual([
      expect.objectContaining({ file: 'broken.yaml', path: '(yaml)', line: 3 }),
    ]);
    const missing = path.join(mkdtempSync(path.join(os.tmpdir(), 'gift-catalog-')), 'none.yaml');
    expect(problemsOf(() => loadGiftCatalog(missing))).toEqual([
      { file: missing, path: '(file)', message: 'cannot be read (ENOENT)' },
    ]);
  });

  it('loads another file (GIFT_CATALOG)', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gift-catalog-')), 'catalog.yaml');
    writeFileSync(
      file,
      [
        'campaigns:',
        '  - { id: vip, budget: { amount: 1000, currency: USD, period: quarter }, cooldown: 6 months, products: [mug] }',
        'products:',
        '  - { id: mug, kind: physical, name: { en: Mug }, value: 15, currency: USD, cost: 22 }',
      ].join('\n'),
    );
    expect(loadGiftCatalog(file).campaigns[0]).toMatchObject({ id: 'vip', cooldown: '6 months', consent: 'marketing' });
  });
});
