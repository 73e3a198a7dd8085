import { closeSync, openSync, statSync, writeSync } from 'node:fs';

/**
 * A synthetic shop export for the import benchmark and the 100k import test: customers, each followed by
 * their orders (1–5 by default, 3 on average), in the combined CSV format of docs/customers.md, plus a few
 * deliberately bad rows whose line numbers and columns are known. Written in chunks, never held whole.
 */

export const IMPORT_HEADER =
  'customer_id,email,name,locale,time_zone,marketing_consent,attr.tier,order_id,occurred_at,amount,currency';

export interface ExpectedRejection {
  line: number;
  column: string;
}

export interface GeneratedImport {
  file: string;
  bytes: number;
  /** data rows, bad ones included */
  rows: number;
  customers: number;
  orders: number;
  rejections: ExpectedRejection[];
}

const TIERS = ['gold', 'silver', 'bronze'];
const DAY_MS = 24 * 60 * 60 * 1000;
const START = Date.UTC(2024, 0, 1);

/** The orders customer i has: 1..maxOrders, (maxOrders + 1)/2 on average (3 with the default 5). */
export const ordersOf = (i: number, maxOrders = 5) => (i % maxOrders) + 1;

/**
 * Writes `customers` customers with their orders to `file`. After every `badEvery`-th customer come four
 * bad rows: a negative amount, an impossible date, an order of an unknown customer, and a repeat of the
 * customer's first order id.
 */
export function generateImportFile(
  file: string,
  customers: number,
  options: { maxOrders?: number; badEvery?: number } = {},
): GeneratedImport {
  const { maxOrders = 5, badEvery = 25_000 } = options;
  const fd = openSync(file, 'w');
  let chunk: string[] = [IMPORT_HEADER];
  let line = 1;
  let rows = 0;
  let orders = 0;
  const rejections: ExpectedRejection[] = [];
  const push = (text: string) => {
    chunk.push(text);
    line += 1;
    rows += 1;
    if (chunk.length >= 5000) {
      writeSync(fd, `${chunk.join('\n')}\n`);
      chunk = [];
    }
  };
  try {
    for (let i = 1; i <= customers; i++) {
      const id = `c${i}`;
      push(`${id},${id}@example.com,Customer ${i},en,Europe/Berlin,granted,${TIERS[i % 3]},,,,`);
      for (let j = 1; j <= ordersOf(i, maxOrders); j++) {
        const at = new Date(START + ((i * 7 + j * 37) % 700) * DAY_MS).toISOString();
        push(`${id},,,,,,,${id}-o${j},${at},${((i * j) % 200) + 0.99},EUR`);
        orders += 1;
      }
      if (i % badEvery === 0) {
        push(`${id},,,,,,,${id}-neg,2025-01-01,-5,EUR`);
        rejections.push({ line, column: 'amount' });
        push(`${id},,,,,,,${id}-date,2025-02-30,5,EUR`);
        rejections.push({ line, column: 'occurred_at' });
        push(`nobody-${i},,,,,,,x1,2025-01-01,5,EUR`);
        rejections.push({ line, column: 'customer_id' });
        push(`${id},,,,,,,${id}-o1,2025-01-01,5,EUR`);
        rejections.push({ line, column: 'order_id' });
      }
    }
    writeSync(fd, `${chunk.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  return { file, bytes: statSync(file).size, rows, customers, orders, rejections };
}
