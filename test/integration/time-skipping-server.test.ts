import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { resolveTestServer, startTimeSkippingEnvironment } from '../../scripts/test-server';
import type { sleepy } from '../support/workflows/sleepy';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('the Java time-skipping test server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await startTimeSkippingEnvironment({ log: (line) => process.stderr.write(`[test-server] ${line}\n`) });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow that sleeps 30 days in seconds of real time', async () => {
    expect(env.supportsTimeSkipping).toBe(true);
    const taskQueue = `time-skipping-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../support/workflows/sleepy'),
    });
    const serverStartMs = await env.currentTimeMs();
    const wallStart = Date.now();

    const result = await worker.runUntil(
      env.client.workflow.execute<typeof sleepy>('sleepy', {
        taskQueue,
        workflowId: randomUUID(),
        args: ['woke up'],
      }),
    );

    expect(Date.now() - wallStart).toBeLessThan(60_000);
    expect(result.value).toBe('woke up');
    expect(result.wokeMs - result.startedMs).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect(result.wokeMs - result.startedMs).toBeLessThan(31 * DAY_MS);
    expect((await env.currentTimeMs()) - serverStartMs).toBeGreaterThanOrEqual(30 * DAY_MS);
  });

  it('skips time on env.sleep()', async () => {
    const before = await env.currentTimeMs();
    const wallStart = Date.now();
    await env.sleep('7 days');
    expect(Date.now() - wallStart).toBeLessThan(10_000);
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(7 * DAY_MS);
  });
});

describe('startTimeSkippingEnvironment', () => {
  it('stops the JVM on teardown, freeing its port', async () => {
    const env = await startTimeSkippingEnvironment();
    const [host, port] = env.address.split(':');
    await env.teardown();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});

describe('resolveTestServer', () => {
  const saved = process.env.TEMPORAL_TEST_SERVER;
  afterEach(() => {
    if (saved === undefined) delete process.env.TEMPORAL_TEST_SERVER;
    else process.env.TEMPORAL_TEST_SERVER = saved;
  });

  it('names TEMPORAL_TEST_SERVER when it is not an executable', async () => {
    process.env.TEMPORAL_TEST_SERVER = '/nonexistent/temporal-test-server';
    await expect(resolveTestServer()).rejects.toThrow(/TEMPORAL_TEST_SERVER=\/nonexistent.*fix or unset it/);
  });
});
