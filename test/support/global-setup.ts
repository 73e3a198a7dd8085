import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevServer, type DevServer } from '../../scripts/dev-server';
import { bundleJourneyWorkflows } from '../../worker/bundle';
import { freePort } from '../../scripts/server-process';

declare global {
  var __touchpointDevServer: DevServer | undefined;
}

/**
 * Once per test run: a real Temporal dev server (built from the Go module proxy on first use) and the
 * workflow bundle, shared by every test file through environment variables.
 */
export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[test setup] ${line}\n`);
  const [server, bundle] = await Promise.all([
    startDevServer({ port: await freePort(), log }),
    bundleJourneyWorkflows(),
  ]);
  globalThis.__touchpointDevServer = server;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'touchpoint-test-'));
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  process.env.TOUCHPOINT_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.TOUCHPOINT_TEST_WORKFLOW_BUNDLE = bundlePath;
}
