import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnvConfig } from '../../client/config';
import type { ContactPolicy } from '../../model/contact-policy';
import { startTouchpoint, type StartOptions, type Touchpoint } from '../../client/app';

export { shortenedCatalog } from '../../scripts/short-waits';

export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

/**
 * A contact policy that lets everything consented through: no caps, no throttle, no quiet hours, so tests
 * of other things do not depend on the hour they run at. Tests of the policy pass their own.
 */
export const OPEN_POLICY: ContactPolicy = { caps: {} };

/**
 * The real product, wired as `touchpoint start` wires it, against the shared test Temporal server,
 * an in-memory PGlite and a random HTTP port; its own task queue keeps tests apart.
 */
export async function startTestTouchpoint(
  env: Record<string, string> = {},
  overrides: Partial<StartOptions> = {},
): Promise<Touchpoint> {
  const address = process.env.TOUCHPOINT_TEST_TEMPORAL_ADDRESS;
  const codePath = process.env.TOUCHPOINT_TEST_WORKFLOW_BUNDLE;
  if (!address || !codePath) throw new Error('run the tests through jest: its global setup starts Temporal');
  return startTouchpoint({
    config: parseEnvConfig({
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'touchpoint-data-')),
      TOUCHPOINT_SECRET: TEST_SECRET,
      ...env,
    }),
    temporal: { address, namespace: 'default' },
    database: { kind: 'pglite' },
    port: 0,
    smtpSinkPort: 0,
    taskQueue: `test-${randomUUID()}`,
    workflowBundle: { codePath },
    policy: OPEN_POLICY,
    ...overrides,
  });
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
