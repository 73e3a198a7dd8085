import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnvConfig } from '../../model/config';
import type { Journey, Step } from '../../model/journey';
import { startTouchpoint, type StartOptions, type Touchpoint } from '../../client/app';
import { JourneyCatalog } from '../../client/journey-catalog';

export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

/** The built-in journeys, with the named waits shortened so a test sees the whole run in seconds. */
export function shortenedCatalog(waits: Record<string, string>, extra: Journey[] = []): JourneyCatalog {
  const shorten = (step: Step): Step => {
    if (!waits[step.id]) return step;
    if (step.type === 'waitFor') return { ...step, timeout: waits[step.id] };
    if (step.type === 'wait' && step.duration) return { ...step, duration: waits[step.id] };
    return step;
  };
  const journeys = JourneyCatalog.fromDirectory()
    .all()
    .map((journey): Journey => ({ ...journey, steps: journey.steps.map(shorten) }));
  return new JourneyCatalog([...journeys, ...extra]);
}

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
